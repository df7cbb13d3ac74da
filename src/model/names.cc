#include "vigil/model.h"
