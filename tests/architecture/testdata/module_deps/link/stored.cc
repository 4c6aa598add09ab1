#include "link/from_store.h"
#include "store/store.h"
