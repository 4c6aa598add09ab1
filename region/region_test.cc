// The division table and how a phone number's geocoded city becomes a jurisdiction code.
#include "region/region.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "normalise/normalise.h"

namespace fanzha::region {
namespace {

const RegionTable& T() { return RegionTable::Builtin(); }

TEST(RegionTable, TheBuiltinTableHasEveryProvinceAndItsCities) {
  size_t provinces = 0, cities = 0, counties = 0;
  for (const Division& d : T().All()) {
    provinces += d.level == Level::kProvince;
    cities += d.level == Level::kCity;
    counties += d.level == Level::kCounty;
  }
  EXPECT_EQ(provinces, 34u);  // 31 on the mainland, Hong Kong, Macao, Taiwan
  EXPECT_GT(cities, 330u);
  EXPECT_GT(counties, 2800u);
  ASSERT_NE(FindDivision("451300"), nullptr);
  EXPECT_EQ(FindDivision("451300")->name, "来宾市");
  EXPECT_EQ(FindDivision("451300")->parent, "450000");
  EXPECT_EQ(FindDivision("330100")->name, "杭州市");
  EXPECT_EQ(FindDivision("999999"), nullptr);
  EXPECT_EQ(FindDivision("4513"), nullptr);
}

TEST(RegionTable, DevelopmentZonesOfTheStatisticsCodesAreNotDivisions) {
  EXPECT_EQ(FindDivision("130171"), nullptr);  // 石家庄高新技术产业开发区
}

TEST(CheckCode, OnlyDivisionsOfTheStandardOrNothing) {
  EXPECT_TRUE(CheckCode("").ok());  // unknown
  for (const char* ok : {"330100", "330000", "451302", "110101", "810000"})
    EXPECT_TRUE(CheckCode(ok).ok()) << ok;
  for (std::string bad : {std::string("999999"), std::string("4601%"), std::string("<script>"),
                          std::string("33010"), std::string("3301000"), std::string(5000, '1')})
    EXPECT_FALSE(CheckCode(bad).ok()) << bad;
  Status name = CheckCode("杭州市");
  EXPECT_NE(name.message().find("give its GB/T 2260 code 330100"), std::string::npos)
      << name.message();
  EXPECT_NE(name.zh().find("330100"), std::string::npos);
  EXPECT_LT(CheckCode(std::string(5000, '1')).message().size(), 200u);
}

TEST(CodeOfCodeOrName, AFilterTakesACodeOrAName) {
  EXPECT_EQ(*CodeOfCodeOrName(""), "");
  EXPECT_EQ(*CodeOfCodeOrName("330100"), "330100");
  EXPECT_EQ(*CodeOfCodeOrName("杭州市"), "330100");
  EXPECT_EQ(*CodeOfCodeOrName("北京市"), "110000");
  Result<std::string> none = CodeOfCodeOrName("999999");
  EXPECT_EQ(none.status().code(), ErrorCode::kInvalidInput);
  EXPECT_NE(none.status().zh().find("GB/T 2260"), std::string::npos) << none.status().zh();
  EXPECT_EQ(CodeOfCodeOrName("火星市").status().code(), ErrorCode::kNotFound);
}

TEST(Covers, AProvinceCoversItsCitiesAndACityItsDistricts) {
  EXPECT_TRUE(Covers("330000", "330100"));
  EXPECT_TRUE(Covers("330000", "330102"));
  EXPECT_TRUE(Covers("330100", "330102"));
  EXPECT_FALSE(Covers("330100", "330200"));
  EXPECT_FALSE(Covers("330000", "450100"));
  EXPECT_TRUE(Covers("330102", "330102"));
  EXPECT_FALSE(Covers("330102", "330103"));
  EXPECT_TRUE(Covers("", "450100"));
  EXPECT_TRUE(Covers("", ""));
  EXPECT_FALSE(Covers("330000", ""));  // a record without a region is the national centre's
  EXPECT_EQ(CoveredPrefix("330000"), "33");
  EXPECT_EQ(CoveredPrefix("330100"), "3301");
  EXPECT_EQ(CoveredPrefix("330102"), "330102");
}

TEST(RegionTable, NamesForPeople) {
  EXPECT_EQ(T().DisplayName("451300"), "来宾市");
  EXPECT_EQ(T().DisplayName("110100"), "北京市");  // "市辖区" in the standard
  EXPECT_EQ(T().DisplayName("500200"), "重庆市");  // "县" in the standard
  EXPECT_EQ(T().FullName("451300"), "广西壮族自治区来宾市");
  EXPECT_EQ(T().FullName("110101"), "北京市东城区");
  EXPECT_EQ(T().FullName("429004"), "湖北省仙桃市");
  EXPECT_EQ(T().FullName("450000"), "广西壮族自治区");
  EXPECT_EQ(T().FullName("000000"), "");
  EXPECT_EQ(T().ProvinceOf("451302"), "450000");
  EXPECT_EQ(T().ProvinceOf("451300"), "450000");
  EXPECT_EQ(T().ProvinceOf("xyz"), "");
}

TEST(RegionTable, CodeOfName) {
  EXPECT_EQ(*T().CodeOfName("来宾市"), "451300");
  EXPECT_EQ(*T().CodeOfName("杭州市"), "330100");
  EXPECT_EQ(*T().CodeOfName("北京市"), "110000");
  EXPECT_EQ(*T().CodeOfName("吉林市"), "220200");
  EXPECT_EQ(*T().CodeOfName("吉林省"), "220000");
  // 朝阳区 is a district of Beijing and of Changchun; 朝阳市 (Liaoning) is another name.
  Result<std::string> chaoyang = T().CodeOfName("朝阳区");
  EXPECT_EQ(chaoyang.status().code(), ErrorCode::kInvalidInput);
  EXPECT_NE(chaoyang.status().message().find("110105"), std::string::npos);
  EXPECT_EQ(*T().CodeOfName("朝阳区", "110000"), "110105");
  EXPECT_EQ(*T().CodeOfName("朝阳区", "220100"), "220104");
  EXPECT_EQ(T().CodeOfName("不存在市").status().code(), ErrorCode::kNotFound);
}

TEST(RegionTable, ParseRejectsBrokenTablesNamingTheLine) {
  EXPECT_TRUE(RegionTable::Parse("code\tname\tlevel\tparent\n110000\t北京市\tprovince\t\n").ok());
  EXPECT_FALSE(RegionTable::Parse("").ok());
  auto bad_code = RegionTable::Parse("code\tname\tlevel\tparent\n11000\t北京市\tprovince\t\n");
  EXPECT_NE(bad_code.status().message().find("line 2: code"), std::string::npos);
  auto bad_level = RegionTable::Parse("# c\ncode\tname\tlevel\tparent\n110000\t北京市\tstate\t\n");
  EXPECT_NE(bad_level.status().message().find("line 3: level"), std::string::npos);
  auto orphan = RegionTable::Parse("code\tname\tlevel\tparent\n110100\t市辖区\tcity\t110000\n");
  EXPECT_NE(orphan.status().message().find("parent 110000"), std::string::npos);
  auto twice = RegionTable::Parse(
      "code\tname\tlevel\tparent\n110000\t北京市\tprovince\t\n110000\t北京\tprovince\t\n");
  EXPECT_NE(twice.status().message().find("twice"), std::string::npos);
}

TEST(RegionTable, ParseErrorsInChineseNameTheSameLineAndColumn) {
  auto bad_code = RegionTable::Parse("code\tname\tlevel\tparent\n11000\t北京市\tprovince\t\n");
  EXPECT_NE(bad_code.status().zh().find("第 2 行：code："), std::string::npos)
      << bad_code.status().zh();
  auto bad_level = RegionTable::Parse("# c\ncode\tname\tlevel\tparent\n110000\t北京市\tstate\t\n");
  EXPECT_NE(bad_level.status().message().find("line 3: level: level must be"), std::string::npos)
      << bad_level.status().message();
  EXPECT_NE(bad_level.status().zh().find("第 3 行：level："), std::string::npos)
      << bad_level.status().zh();
  EXPECT_NE(bad_level.status().zh().find("\"state\""), std::string::npos);
  auto orphan = RegionTable::Parse("code\tname\tlevel\tparent\n110100\t市辖区\tcity\t110000\n");
  EXPECT_NE(orphan.status().zh().find("上级 110000"), std::string::npos) << orphan.status().zh();
  Result<std::string> chaoyang = T().CodeOfName("朝阳区");
  EXPECT_NE(chaoyang.status().zh().find("110105"), std::string::npos) << chaoyang.status().zh();
}

TEST(CityCodeOfPhoneCity, TheGeocodersSpellings) {
  const std::pair<const char*, const char*> cases[] = {
      {"广西来宾市", "451300"},
      {"广西柳州市", "450200"},
      {"广西壮族自治区来宾市", "451300"},
      {"浙江省杭州市", "330100"},
      {"浙江杭州市", "330100"},
      {"吉林省吉林市", "220200"},
      {"内蒙古锡林郭勒盟", "152500"},
      {"新疆伊犁哈萨克自治州", "654000"},
      {"广东省东莞市", "441900"},  // a prefecture-level city without counties
      {"甘肃省嘉峪关市", "620200"},
      {"湖北省仙桃市", "429004"},  // county-level, governed by the province directly
      {"湖北省神农架林区", "429021"},
      {"新疆石河子市", "659001"},
      {"海南省海口市", "460100"},
      {"黑龙江省大兴安岭地区", "232700"},  // still a 地区
      // Municipalities, with and without 市.
      {"北京市", "110100"},
      {"天津市", "120100"},
      {"天津", "120100"},
      {"上海市", "310100"},
      {"重庆市", "500100"},
      // Names from before a reform.
      {"湖北省襄樊市", "420600"},  // 襄阳 since 2010
      {"湖北襄樊市", "420600"},
      {"安徽省巢湖市", "340100"},    // abolished 2011, mapped to 合肥
      {"山东省莱芜市", "370100"},    // merged into 济南 2019
      {"贵州省毕节地区", "520500"},  // 毕节市 since 2011
      {"贵州毕节地区", "520500"},
      {"贵州省铜仁地区", "520600"},
      {"青海省海东地区", "630200"},
      {"新疆吐鲁番地区", "650400"},
      {"新疆哈密地区", "650500"},
      {"西藏日喀则地区", "540200"},
      {"西藏那曲地区", "540600"},
      {"西藏阿里地区", "542500"},  // still a 地区
      // Fixed-line area codes shared by several cities: the first named.
      {"四川省成都市、资阳市、眉山市", "510100"},
      {"湖北省襄樊市、襄樊市", "420600"},
      {"西藏那曲地区、嘉黎县、聂荣县", "540600"},
      // Only a province or region.
      {"广东省", "440000"},
      {"香港", "810000"},
  };
  for (const auto& [description, code] : cases) {
    Result<std::string> got = CityCodeOfPhoneCity(description);
    ASSERT_TRUE(got.ok()) << description << ": " << got.status().ToString();
    EXPECT_EQ(*got, code) << description;
  }
}

TEST(CityCodeOfPhoneCity, PlacesWithoutADivision) {
  EXPECT_EQ(CityCodeOfPhoneCity("中国").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(CityCodeOfPhoneCity("美国").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(CityCodeOfPhoneCity("广西火星市").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(CityCodeOfPhoneCity("").status().code(), ErrorCode::kInvalidInput);
}

TEST(PhoneRegion, FromAnyFormOfANumberToItsJurisdiction) {
  EXPECT_EQ(PhoneRegion("+8613507721234"), "450200");  // 广西柳州市
  EXPECT_EQ(PhoneRegion("135 0772 1234"), "450200");
  EXPECT_EQ(PhoneRegion("0772-2345678"), "450200");  // fixed line, area code 0772
  EXPECT_EQ(PhoneRegion("010-62345678"), "110100");
  EXPECT_EQ(PhoneRegion("12345"), "");           // not a number
  EXPECT_EQ(PhoneRegion("+16502530000"), "");    // not in China
  EXPECT_EQ(PhoneRegion("+8619912345678"), "");  // valid, but the geocoder has no city
}

// Every 7-digit mobile block 130-199 (one number per block, 700,000 numbers): the block cache
// agrees with libphonenumber, and every city the geocoder names maps to a division code.
TEST(CityCodeOfPhoneCity, EveryCityTheGeocoderNamesForAMobileBlock) {
  size_t valid = 0, with_city = 0, mapped = 0, disagreements = 0;
  std::map<std::string, size_t> unmapped;  // city -> blocks
  std::map<std::string, size_t> blocks_of_city;
  for (int block = 1300000; block <= 1999999; ++block) {
    const std::string number = std::to_string(block) + "0000";
    normalise::Phone p = normalise::NormalisePhone(number);
    // The reference is slow (regexes); compare on every 10th block to keep the test fast.
    if (block % 10 == 0) {
      normalise::Phone ref = normalise::NormalisePhoneReference(number);
      if (ref.valid != p.valid || ref.e164 != p.e164 || ref.city != p.city) ++disagreements;
    }
    if (!p.valid) continue;
    ++valid;
    if (p.city.empty()) continue;
    ++with_city;
    ++blocks_of_city[p.city];
  }
  for (const auto& [city, blocks] : blocks_of_city) {
    if (CityCodeOfPhoneCity(city).ok()) {
      mapped += blocks;
    } else {
      unmapped[city] = blocks;
    }
  }
  EXPECT_EQ(disagreements, 0u);
  std::printf(
      "mobile blocks 130-199: %zu valid, %zu with a city (%.1f%%), %zu mapped to a code "
      "(%.2f%% of those with a city); %zu distinct cities, %zu unmapped\n",
      valid, with_city, 100.0 * with_city / valid, mapped, 100.0 * mapped / with_city,
      blocks_of_city.size(), unmapped.size());
  // The cities the mapping does not know, with how many blocks each: none today.
  const std::map<std::string, size_t> kKnownUnmapped = {};
  EXPECT_EQ(unmapped, kKnownUnmapped);
  EXPECT_GT(blocks_of_city.size(), 330u);
}

// Every fixed-line area code (0 then 2 or 3 digits) that the geocoder places in a city.
TEST(CityCodeOfPhoneCity, EveryCityOfAFixedLineAreaCode) {
  size_t with_city = 0;
  std::vector<std::string> unmapped;
  for (int area = 10; area <= 999; ++area) {
    const std::string code = "0" + std::to_string(area);
    normalise::Phone p =
        normalise::NormalisePhone(code + (code.size() == 3 ? "62345678" : "2345678"));
    if (!p.valid || p.city.empty()) continue;
    ++with_city;
    if (!CityCodeOfPhoneCity(p.city).ok()) unmapped.push_back(code + " " + p.city);
  }
  EXPECT_GT(with_city, 400u);
  EXPECT_EQ(unmapped, std::vector<std::string>{});
}

}  // namespace
}  // namespace fanzha::region
