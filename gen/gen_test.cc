#include <gtest/gtest.h>
TEST(Gen, Placeholder) {}
