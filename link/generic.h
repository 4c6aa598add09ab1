// Values that are generic by what they are, whatever their count (the "generic value" rule of
// entity-resolution engines): a company's service line and a big platform's site are shared by
// victims of every gang, so they never link cases. Thread-safe, no state.
#pragma once

#include <string_view>

#include "core/model.h"

namespace fanzha::link {

// True for, on normalised values:
//  - phones: service numbers (95xxx, 96xxx, 10xxx and other numbers of at most 6 digits), and
//    400/800 company numbers ("+864008111111");
//  - urls and domains: the sites of the big platforms (qq.com, weixin.qq.com, taobao.com, jd.com,
//    alipay.com, ...) and any host below them.
bool IsGenericValue(IdentifierType type, std::string_view value);

}  // namespace fanzha::link
