#include "freeze/orders.h"

#include "store/store.h"
