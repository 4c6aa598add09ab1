#include "freeze/orders.h"

#include "link/link.h"  // a test: its own DEPS give it link
