#include "vigil/sim.h"
