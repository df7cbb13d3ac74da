#include "vigil/store.h"
