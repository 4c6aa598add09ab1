#pragma once
#include "core/money.h"
