#include "vigil/ingest.h"
