#include "link/link.h"
#include "store/store.h"  // the linker reaching for the store
