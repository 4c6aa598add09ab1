// gen_test: a generated world obeys spec/FORMATS.md, is reproducible from its seed, and its ground
// truth is complete and consistent with the data.
#include "gen/gen.h"

#include <gtest/gtest.h>
#include <phonenumbers/geocoding/phonenumber_offline_geocoder.h>
#include <phonenumbers/phonenumberutil.h>
#include <unicode/locid.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/csv.h"
#include "core/model.h"
#include "core/money.h"
#include "core/time.h"
#include "gen/cities.h"
#include "gen/identity.h"
#include "gen/narrative.h"

namespace fanzha::gen {
namespace {

namespace fs = std::filesystem;
using Rows = std::vector<std::vector<std::string>>;

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Rows ReadCsv(const fs::path& p) {
  auto reader = CsvReader::Open(p.string());
  EXPECT_TRUE(reader.ok()) << p;
  Rows rows;
  std::vector<std::string_view> fields;
  while ((*reader)->Next(&fields)) rows.emplace_back(fields.begin(), fields.end());
  EXPECT_TRUE((*reader)->status().ok()) << (*reader)->status().message();
  return rows;
}

std::vector<nlohmann::json> ReadJsonl(const fs::path& p) {
  std::ifstream in(p);
  std::vector<nlohmann::json> docs;
  for (std::string line; std::getline(in, line);) docs.push_back(nlohmann::json::parse(line));
  return docs;
}

// One small world shared by the tests (generated once).
class GenWorld : public ::testing::Test {
 protected:
  static fs::path Dir(uint64_t seed) {
    return fs::temp_directory_path() /
           ("fanzha_gen_test_" + std::to_string(seed) + "_" + std::to_string(::getpid()));
  }
  static fs::path Make(uint64_t seed) {
    const fs::path dir = Dir(seed);
    if (!fs::exists(dir / "transfers.csv")) {
      GenOptions o;
      o.out_dir = dir.string();
      o.seed = seed;
      o.transfers = 20000;
      o.cases = 40;
      o.days = 10;
      auto s = GenerateWorld(o);
      EXPECT_TRUE(s.ok()) << s.status().message();
    }
    return dir;
  }
  static void TearDownTestSuite() {
    for (uint64_t seed : {1, 2, 3}) fs::remove_all(Dir(seed));
  }
};

std::string Geocode(const std::string& digits11) {
  using namespace i18n::phonenumbers;
  static const PhoneNumberOfflineGeocoder* geocoder = new PhoneNumberOfflineGeocoder();
  PhoneNumber n;
  n.set_country_code(86);
  n.set_national_number(std::stoull(digits11));
  return geocoder->GetDescriptionForNumber(n, icu::Locale("zh", "CN"));
}

TEST(Cities, EveryPrefixGeocodesToItsCity) {
  for (const City& city : Cities()) {
    EXPECT_EQ(city.code.size(), 6u) << city.name;
    for (std::string_view prefix : city.mobile_prefixes)
      for (const char* tail : {"0000", "4821", "9999"}) {
        const std::string d = Geocode(std::string(prefix) + tail);
        EXPECT_NE(d.find(city.name), std::string::npos)
            << prefix << tail << " -> " << d << ", want " << city.name;
      }
  }
}

TEST(Identity, CardsHaveRealPrefixesAndLuhn) {
  EXPECT_TRUE(LuhnValid("6222021234567890128") == (LuhnCheckDigit("622202123456789012") == '8'));
  EXPECT_TRUE(LuhnValid("4539578763621486"));  // a textbook valid number
  EXPECT_FALSE(LuhnValid("4539578763621487"));
  std::set<std::string> seen;
  for (const Issuer& issuer : Issuers())
    for (uint64_t i = 0; i < 2000; ++i) {
      const std::string card = CardNumber(issuer, i, 12345);
      EXPECT_EQ(card.size(), static_cast<size_t>(issuer.length));
      EXPECT_EQ(card.substr(0, 6), issuer.bin);
      EXPECT_TRUE(LuhnValid(card)) << card;
      EXPECT_TRUE(seen.insert(card).second) << "duplicate " << card;
    }
}

TEST(Identity, TwentyAndMoreInstitutionsIssueCardsEachOnesIssuersTogether) {
  EXPECT_GE(IssuingInstitutions(), 20);
  std::set<std::string_view> institutions, bins;
  std::string_view last;
  for (const Issuer& issuer : Issuers()) {
    EXPECT_TRUE(bins.insert(issuer.bin).second) << "one issuer a prefix: " << issuer.bin;
    if (issuer.institution == last) continue;
    EXPECT_TRUE(institutions.insert(issuer.institution).second)
        << issuer.institution << "'s issuers are apart";
    last = issuer.institution;
  }
  EXPECT_EQ(static_cast<int>(institutions.size()), IssuingInstitutions());
}

TEST(Identity, TheFirstBanksAreAPrefixOfTheIssuersAndEightAreTheWorldsOfBefore) {
  auto eight = IssuersOfFirstBanks(8);
  ASSERT_TRUE(eight.ok()) << eight.status().message();
  ASSERT_EQ(eight->size(), 11u);
  EXPECT_EQ(eight->data(), Issuers().data());
  EXPECT_EQ(eight->front().bin, "622202");  // 中国工商银行
  EXPECT_EQ(eight->back().bin, "622908");   // 兴业银行, the last issuer of the worlds of before
  auto one = IssuersOfFirstBanks(1);
  ASSERT_TRUE(one.ok());
  ASSERT_EQ(one->size(), 2u);
  EXPECT_EQ((*one)[1].institution, "中国工商银行");
  EXPECT_EQ(IssuersOfFirstBanks(IssuingInstitutions())->size(), Issuers().size());
  for (int bad : {0, -3, IssuingInstitutions() + 1}) {
    Status st = IssuersOfFirstBanks(bad).status();
    EXPECT_EQ(st.code(), ErrorCode::kInvalidInput) << bad;
    EXPECT_NE(st.message().find("--banks must be 1.."), std::string::npos) << st.message();
    EXPECT_NE(st.zh().find("--banks 须在 1 到"), std::string::npos) << st.zh();
  }
}

TEST(Identity, NoisyFormsKeepTheDigits) {
  Rng rng(5);
  for (int i = 0; i < 50; ++i) {
    const std::string noisy = NoisyPhone("17772123456", rng);
    std::string digits;
    for (size_t k = 0; k < noisy.size(); ++k) {
      unsigned char c = noisy[k];
      if (c >= '0' && c <= '9') digits += static_cast<char>(c);
      if (c == 0xEF && k + 2 < noisy.size()) {  // full-width digit U+FF10..U+FF19
        const int cp = ((c & 0x0F) << 12) | ((noisy[k + 1] & 0x3F) << 6) | (noisy[k + 2] & 0x3F);
        if (cp >= 0xFF10 && cp <= 0xFF19) digits += static_cast<char>('0' + cp - 0xFF10);
        k += 2;
      }
    }
    EXPECT_TRUE(digits == "17772123456" || digits == "8617772123456" || digits == "008617772123456")
        << noisy;
  }
}

TEST(Narrative, TraditionalDiffersAndCategoriesMatchTheSpec) {
  Rng rng(1);
  const std::string simplified = Narrative(1, 0, 5000, false, rng);
  const std::string traditional = ToTraditional(simplified);
  EXPECT_NE(simplified, traditional);
  EXPECT_NE(traditional.find("騙"), std::string::npos) << traditional;
  ASSERT_EQ(Categories().size(), BuiltinCategories().size());
  ASSERT_EQ(Categories().size(), 10u)
      << "world.cc kTypicalYuan holds one typical amount per category";
  for (size_t i = 0; i < Categories().size(); ++i)
    EXPECT_EQ(Categories()[i], BuiltinCategories()[i].key) << i;  // FORMATS.md's list, its order
}

TEST_F(GenWorld, SameSeedSameBytesOtherSeedOtherBytes) {
  const fs::path a = Make(1);
  GenOptions o;
  o.out_dir = (Dir(1).string() + "_again");
  o.seed = 1;
  o.transfers = 20000;
  o.cases = 40;
  o.days = 10;
  ASSERT_TRUE(GenerateWorld(o).ok());
  for (const auto& entry : fs::recursive_directory_iterator(a)) {
    if (!entry.is_regular_file()) continue;
    const fs::path rel = fs::relative(entry.path(), a);
    EXPECT_EQ(Slurp(entry.path()), Slurp(fs::path(o.out_dir) / rel)) << rel;
  }
  fs::remove_all(o.out_dir);
  const fs::path b = Make(2);
  EXPECT_NE(Slurp(a / "transfers.csv"), Slurp(b / "transfers.csv"));
  EXPECT_NE(Slurp(a / "cases.jsonl"), Slurp(b / "cases.jsonl"));
}

TEST_F(GenWorld, AccountsObeyTheFormat) {
  const Rows rows = ReadCsv(Make(1) / "accounts.csv");
  ASSERT_GT(rows.size(), 1u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"account", "holder", "institution", "region", "kind",
                                               "opening_balance"}));
  std::set<std::string> ids;
  std::set<std::string> kinds = {"personal", "corporate", "merchant", "platform", "exchange"};
  for (size_t i = 1; i < rows.size(); ++i) {
    const auto& r = rows[i];
    ASSERT_EQ(r.size(), 6u) << i;
    EXPECT_TRUE(ids.insert(r[0]).second) << r[0];
    EXPECT_TRUE(kinds.count(r[4])) << r[4];
    EXPECT_EQ(r[3].size(), 6u);
    EXPECT_TRUE(ParseMoney(r[5]).ok()) << r[5];
    if (r[4] == "personal") {
      EXPECT_TRUE(LuhnValid(r[0])) << r[0];
    }
    EXPECT_FALSE(r[2].empty());
  }
}

struct Ledger {
  std::map<std::string, std::string> kind_of;                 // account -> kind
  std::map<std::string, std::vector<std::string>> transfers;  // id -> row
};

Ledger LoadLedger(const fs::path& dir) {
  Ledger l;
  for (const auto& r : ReadCsv(dir / "accounts.csv")) l.kind_of[r[0]] = r[4];
  const Rows rows = ReadCsv(dir / "transfers.csv");
  for (size_t i = 1; i < rows.size(); ++i) l.transfers[rows[i][0]] = rows[i];
  return l;
}

TEST_F(GenWorld, TransfersObeyTheFormat) {
  const fs::path dir = Make(1);
  const Rows rows = ReadCsv(dir / "transfers.csv");
  EXPECT_EQ(rows[0],
            (std::vector<std::string>{"id", "time", "from", "to", "amount", "channel", "memo"}));
  const Ledger l = LoadLedger(dir);
  EXPECT_EQ(l.transfers.size(), rows.size() - 1) << "ids are unique";
  EXPECT_GT(rows.size(), 15000u);
  Millis last = 0;
  for (size_t i = 1; i < rows.size(); ++i) {
    const auto& r = rows[i];
    ASSERT_EQ(r.size(), 7u);
    auto t = ParseTime(r[1]);
    ASSERT_TRUE(t.ok()) << r[1];
    EXPECT_GE(*t, last) << "sorted by time at " << r[0];
    last = *t;
    auto amount = ParseMoney(r[4]);
    ASSERT_TRUE(amount.ok()) << r[4];
    EXPECT_GT(*amount, 0);
    EXPECT_NE(r[2], r[3]);
    if (r[5] == "withdrawal") {
      EXPECT_TRUE(r[3].empty() && !r[2].empty());
    } else if (r[5] == "deposit")
      EXPECT_TRUE(r[2].empty() && !r[3].empty());
    else {
      EXPECT_TRUE(!r[2].empty() && !r[3].empty()) << r[0];
      EXPECT_TRUE(l.kind_of.count(r[2]) && l.kind_of.count(r[3])) << r[0];
    }
    if (r[5] == "purchase") {
      EXPECT_EQ(l.kind_of.at(r[3]), "merchant") << r[0];
    }
  }
}

TEST_F(GenWorld, CasesReferToTheVictimsPaymentsAndHaveGroundTruth) {
  const fs::path dir = Make(1);
  const Ledger l = LoadLedger(dir);
  const auto cases = ReadJsonl(dir / "cases.jsonl");
  ASSERT_EQ(cases.size(), 40u);
  std::map<std::string, std::string> gang_of;
  for (const auto& r : ReadCsv(dir / "truth/cases.csv")) gang_of[r[0]] = r[1];
  std::map<std::string, std::string> home_of;
  for (const auto& r : ReadCsv(dir / "truth/gangs.csv")) home_of[r[0]] = r[1];
  std::set<std::string> mules;
  for (const auto& r : ReadCsv(dir / "truth/mules.csv")) mules.insert(r[0]);
  const std::set<std::string> categories(Categories().begin(), Categories().end());
  for (const auto& c : cases) {
    const std::string id = c["id"];
    ASSERT_TRUE(ParseTime(c["reported_at"].get<std::string>()).ok());
    EXPECT_TRUE(categories.count(c["category"].get<std::string>()));
    ASSERT_TRUE(gang_of.count(id)) << id;
    ASSERT_TRUE(home_of.count(gang_of[id])) << gang_of[id];
    EXPECT_EQ(home_of[gang_of[id]].size(), 6u);
    Fen sum = 0;
    ASSERT_FALSE(c["transfers"].empty()) << id;
    for (const auto& t : c["transfers"]) {
      ASSERT_TRUE(l.transfers.count(t.get<std::string>())) << id << " " << t;
      const auto& row = l.transfers.at(t.get<std::string>());
      EXPECT_EQ(row[2], c["victim"]["account"].get<std::string>()) << t;
      EXPECT_TRUE(mules.count(row[3])) << "victims pay a collection mule: " << t;
      EXPECT_LE(*ParseTime(row[1]), *ParseTime(c["reported_at"].get<std::string>()));
      sum += *ParseMoney(row[4]);
    }
    EXPECT_EQ(FormatMoney(sum), c["loss"].get<std::string>()) << id;
    for (const auto& ident : c["identifiers"])
      EXPECT_FALSE(ident["value"].get<std::string>().empty());
  }
}

TEST_F(GenWorld, GangPhonesGeocodeToTheirHomeCity) {
  std::map<std::string_view, std::string_view> name_of;
  for (const City& c : Cities()) name_of[c.code] = c.name;
  const Rows gangs = ReadCsv(Make(1) / "truth/gangs.csv");
  ASSERT_GT(gangs.size(), 1u);
  for (size_t i = 1; i < gangs.size(); ++i) {
    std::stringstream phones(gangs[i][3]);
    for (std::string p; std::getline(phones, p, ';');)
      EXPECT_NE(Geocode(p).find(name_of[gangs[i][1]]), std::string::npos)
          << p << " of " << gangs[i][0];
  }
}

TEST_F(GenWorld, EventsObeyTheFormatAndTargetsAreKnown) {
  const fs::path dir = Make(1);
  const std::set<std::string> kinds = {"call", "sms", "payment", "visit", "app_install"};
  std::set<std::string> ids;
  for (const auto& e : ReadJsonl(dir / "events.jsonl")) {
    EXPECT_TRUE(ids.insert(e["id"].get<std::string>()).second);
    EXPECT_TRUE(kinds.count(e["kind"].get<std::string>()));
    EXPECT_TRUE(ParseTime(e["time"].get<std::string>()).ok());
    EXPECT_FALSE(e["from"].get<std::string>().empty());
    if (e["kind"] == "payment") {
      EXPECT_TRUE(ParseMoney(e["amount"].get<std::string>()).ok());
    }
  }
  const Rows targets = ReadCsv(dir / "truth/targets.csv");
  int paid = 0, not_paid = 0;
  for (size_t i = 1; i < targets.size(); ++i) (targets[i][5] == "paid" ? paid : not_paid)++;
  EXPECT_EQ(paid, 40);
  EXPECT_GT(not_paid, paid);
  for (const auto& r : ReadCsv(dir / "truth/events.csv"))
    if (r[0] != "event") {
      EXPECT_TRUE(ids.count(r[0])) << r[0];
    }
}

TEST_F(GenWorld, StatementsAreWrittenFromBothSides) {
  int files = 0;
  for (const auto& entry : fs::directory_iterator(Make(1))) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("流水_", 0) != 0) continue;
    ++files;
    const Rows rows = ReadCsv(entry.path());
    EXPECT_EQ(rows[0][0], "交易流水号");
    for (size_t i = 1; i < rows.size(); ++i) {
      EXPECT_TRUE(rows[i][3] == "借" || rows[i][3] == "贷");
      EXPECT_TRUE(ParseTime(rows[i][1]).ok()) << rows[i][1];
      EXPECT_TRUE(ParseMoney(rows[i][5]).ok()) << "balance never negative: " << rows[i][5];
    }
  }
  EXPECT_EQ(files, 3);
}

// Shapes: every named shape keeps the ground truth right, and each shape field does what it says.

fs::path MakeShaped(const std::string& name, const Shape& shape, uint64_t seed = 1) {
  const fs::path dir =
      fs::temp_directory_path() / ("fanzha_gen_shape_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  GenOptions o;
  o.out_dir = dir.string();
  o.seed = seed;
  o.transfers = 20000;
  o.days = 10;
  o.shape = shape;
  auto s = GenerateWorld(o);
  EXPECT_TRUE(s.ok()) << s.status().message();
  return dir;
}

struct Truth {
  std::map<std::string, std::string> layer_of;  // mule account -> layer
  std::map<std::string, int64_t> loss_of;       // case -> loss in fen
};

Truth ReadTruth(const fs::path& dir) {
  Truth t;
  const Rows mules = ReadCsv(dir / "truth/mules.csv");
  for (size_t i = 1; i < mules.size(); ++i) t.layer_of[mules[i][0]] = mules[i][2];
  const Rows cases = ReadCsv(dir / "truth/cases.csv");
  for (size_t i = 1; i < cases.size(); ++i) t.loss_of[cases[i][0]] = *ParseMoney(cases[i][4]);
  return t;
}

// The checks every world passes, whatever its shape: victims pay collection mules, losses add up,
// the truth names every case.
void ExpectGroundTruthRight(const fs::path& dir) {
  const Ledger l = LoadLedger(dir);
  const Truth truth = ReadTruth(dir);
  const auto cases = ReadJsonl(dir / "cases.jsonl");
  ASSERT_FALSE(cases.empty());
  for (const auto& c : cases) {
    const std::string id = c["id"];
    ASSERT_TRUE(truth.loss_of.count(id)) << id;
    Fen sum = 0;
    for (const auto& t : c["transfers"]) {
      ASSERT_TRUE(l.transfers.count(t.get<std::string>())) << id << " " << t;
      const auto& row = l.transfers.at(t.get<std::string>());
      EXPECT_EQ(row[2], c["victim"]["account"].get<std::string>()) << t;
      auto layer = truth.layer_of.find(row[3]);
      ASSERT_NE(layer, truth.layer_of.end()) << "victims pay a mule: " << t;
      EXPECT_EQ(layer->second, "collection") << t;
      sum += *ParseMoney(row[4]);
    }
    EXPECT_EQ(sum, truth.loss_of.at(id)) << id;
    EXPECT_EQ(FormatMoney(sum), c["loss"].get<std::string>()) << id;
  }
}

// Transfers paid by accounts of layer `from` to accounts of layer `to`.
int64_t LayerTransfers(const fs::path& dir, const std::string& from, const std::string& to) {
  const Truth truth = ReadTruth(dir);
  int64_t n = 0;
  for (const auto& [id, row] : LoadLedger(dir).transfers) {
    auto a = truth.layer_of.find(row[2]), b = truth.layer_of.find(row[3]);
    n += a != truth.layer_of.end() && b != truth.layer_of.end() && a->second == from &&
         b->second == to;
  }
  return n;
}

// The institutions holding the cards of a world (accounts.csv `institution` of its personal and
// corporate accounts), each with the accounts it holds.
std::map<std::string, std::vector<std::string>> CardHolders(const fs::path& dir) {
  std::map<std::string, std::vector<std::string>> held;
  const Rows rows = ReadCsv(dir / "accounts.csv");
  for (size_t i = 1; i < rows.size(); ++i)
    if (rows[i][4] == "personal" || rows[i][4] == "corporate")
      held[rows[i][2]].push_back(rows[i][0]);
  return held;
}

TEST_F(GenWorld, TheDefaultWorldsCardsAreOfTheFirstEightBanks) {
  std::set<std::string_view> first_eight;
  const std::span<const Issuer> issuers = IssuersOfFirstBanks(8).value();  // not a temporary's
  for (const Issuer& issuer : issuers) first_eight.insert(issuer.institution);
  const auto held = CardHolders(Make(1));
  EXPECT_EQ(held.size(), 8u);
  for (const auto& [institution, accounts] : held)
    EXPECT_TRUE(first_eight.count(institution)) << institution;
}

TEST(GenBanks, AWorldOfTwentyBanksHasCardsAtEachWithItsOwnPrefixes) {
  const fs::path dir =
      fs::temp_directory_path() / ("fanzha_gen_banks_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  GenOptions o;
  o.out_dir = dir.string();
  o.transfers = 20000;
  o.days = 10;
  o.banks = 20;
  auto s = GenerateWorld(o);
  ASSERT_TRUE(s.ok()) << s.status().message();
  std::map<std::string_view, std::set<std::string_view>> bins_of;
  const std::span<const Issuer> issuers = IssuersOfFirstBanks(20).value();  // not a temporary's
  for (const Issuer& issuer : issuers) bins_of[issuer.institution].insert(issuer.bin);
  ASSERT_EQ(bins_of.size(), 20u);
  const auto held = CardHolders(dir);
  EXPECT_EQ(held.size(), 20u) << "every bank holds cards";
  const Rows rows = ReadCsv(dir / "accounts.csv");
  for (size_t i = 1; i < rows.size(); ++i) {
    if (rows[i][4] != "personal") continue;
    const std::string& number = rows[i][0];
    ASSERT_TRUE(bins_of.count(rows[i][2])) << rows[i][2];
    EXPECT_TRUE(bins_of[rows[i][2]].count(number.substr(0, 6))) << number << " at " << rows[i][2];
    EXPECT_TRUE(LuhnValid(number)) << number;
  }
  ExpectGroundTruthRight(dir);
  fs::remove_all(dir);

  o.banks = IssuingInstitutions() + 1;
  EXPECT_EQ(GenerateWorld(o).status().code(), ErrorCode::kInvalidInput);
  o.banks = 0;
  EXPECT_EQ(GenerateWorld(o).status().code(), ErrorCode::kInvalidInput);
}

TEST(GenShape, NamedShapesKeepTheGroundTruthRight) {
  for (std::string_view name : ShapeNames()) {
    auto shape = ShapeNamed(name);
    ASSERT_TRUE(shape.ok()) << name;
    if (shape->mule_transfers > 0) shape->mule_transfers = 200;  // small enough for 20k transfers
    SCOPED_TRACE(std::string(name));
    const fs::path dir = MakeShaped(std::string(name), *shape);
    ExpectGroundTruthRight(dir);
    fs::remove_all(dir);
  }
  EXPECT_EQ(ShapeNamed("nonsense").status().code(), ErrorCode::kInvalidInput);
  EXPECT_NE(ShapeNamed("nonsense").status().message().find("busy-mules"), std::string::npos);
}

TEST(GenShape, TheShapeGenIsTheDefault) {
  const Shape g = *ShapeNamed("gen"), d;
  EXPECT_EQ(g.accounts, d.accounts);
  EXPECT_EQ(g.transfers_per_account, d.transfers_per_account);
  EXPECT_EQ(g.transfers_per_case, d.transfers_per_case);
  EXPECT_EQ(g.mule_transfers, d.mule_transfers);
  EXPECT_EQ(g.fan_out, d.fan_out);
  EXPECT_EQ(g.layers, d.layers);
  EXPECT_EQ(g.layer_chance, d.layer_chance);
  EXPECT_EQ(g.amount_percent, d.amount_percent);
}

TEST(GenShape, SameShapeSameBytes) {
  Shape odd;
  odd.accounts = 2000;
  odd.mule_transfers = 100;
  odd.fan_out = 9;
  odd.layers = 5;
  odd.layer_chance = 600;
  odd.amount_percent = 250;
  const fs::path a = MakeShaped("odd_a", odd), b = MakeShaped("odd_b", odd);
  for (const char* f : {"accounts.csv", "transfers.csv", "cases.jsonl", "truth/mules.csv"})
    EXPECT_EQ(Slurp(a / f), Slurp(b / f)) << f;
  ExpectGroundTruthRight(a);
  fs::remove_all(a);
  fs::remove_all(b);
}

TEST(GenShape, BusyMuleCardsHaveThousandsOfTransfersOfTheirOwn) {
  Shape busy = *ShapeNamed("busy-mules");
  busy.mule_transfers = 400;  // over the 10 days of the test world
  const fs::path plain = MakeShaped("plain", Shape{}), dir = MakeShaped("busy", busy);
  auto per_mule = [](const fs::path& d) {
    const Truth truth = ReadTruth(d);
    std::map<std::string, int64_t> n;
    for (const auto& [id, row] : LoadLedger(d).transfers)
      for (int side : {2, 3})
        if (truth.layer_of.count(row[side])) ++n[row[side]];
    int64_t least = INT64_MAX;
    for (const auto& [account, layer] : truth.layer_of) least = std::min(least, n[account]);
    return least;
  };
  EXPECT_LT(per_mule(plain), 100);
  EXPECT_GE(per_mule(dir), 300)
      << "each card about 400 of its own, plus its share of ordinary life";
  // Fewer cases and people for the same transfers.
  EXPECT_EQ(ReadJsonl(dir / "cases.jsonl").size(), 20u);
  EXPECT_EQ(ReadCsv(dir / "accounts.csv").size(),
            ReadCsv(plain / "accounts.csv").size());  // both at the 1500 floor
  ExpectGroundTruthRight(dir);
  fs::remove_all(plain);
  fs::remove_all(dir);
}

TEST(GenShape, FanOutSplitsPaymentsWider) {
  Shape wide;
  wide.fan_out = 30;
  const fs::path plain = MakeShaped("fan_plain", Shape{}), dir = MakeShaped("fan_wide", wide);
  auto parts_per_payment = [](const fs::path& d) {
    int64_t payments = 0;
    for (const auto& c : ReadJsonl(d / "cases.jsonl")) payments += c["transfers"].size();
    return static_cast<double>(LayerTransfers(d, "collection", "split")) / payments;
  };
  EXPECT_LE(parts_per_payment(plain), 4.0);
  EXPECT_GE(parts_per_payment(dir), 8.0);
  fs::remove_all(plain);
  fs::remove_all(dir);
}

TEST(GenShape, LayersMakeLongerChains) {
  Shape deep;
  deep.layers = 10;
  deep.layer_chance = 900;
  const fs::path plain = MakeShaped("deep_plain", Shape{}), dir = MakeShaped("deep_deep", deep);
  auto chain_per_part = [](const fs::path& d) {
    return static_cast<double>(LayerTransfers(d, "split", "split")) /
           static_cast<double>(LayerTransfers(d, "collection", "split"));
  };
  EXPECT_LT(chain_per_part(plain), 0.5);
  EXPECT_GT(chain_per_part(dir), 1.5);
  fs::remove_all(plain);
  fs::remove_all(dir);
}

TEST(GenShape, AmountPercentScalesEveryLoss) {
  Shape triple;
  triple.amount_percent = 300;
  const fs::path plain = MakeShaped("amount_plain", Shape{}),
                 dir = MakeShaped("amount_triple", triple);
  const Truth a = ReadTruth(plain), b = ReadTruth(dir);
  ASSERT_EQ(a.loss_of.size(), b.loss_of.size());
  for (const auto& [id, loss] : a.loss_of) EXPECT_EQ(b.loss_of.at(id), 3 * loss) << id;
  fs::remove_all(plain);
  fs::remove_all(dir);
}

TEST(GenShape, AccountsSetsThePeople) {
  Shape few;
  few.accounts = 3000;
  const fs::path dir = MakeShaped("accounts", few);
  int64_t people = 0;
  for (const auto& r : ReadCsv(dir / "accounts.csv")) people += r[4] == "personal";
  EXPECT_EQ(people, 3000);
  fs::remove_all(dir);
}

TEST(Gen, RejectsBadOptions) {
  GenOptions o;
  EXPECT_FALSE(GenerateWorld(o).ok());
  o.out_dir = "/tmp/x";
  o.transfers = 10;
  EXPECT_EQ(GenerateWorld(o).status().code(), ErrorCode::kInvalidInput);
  o.transfers = 20000;
  for (auto bad : std::initializer_list<void (*)(Shape&)>{
           [](Shape& s) { s.accounts = 10; }, [](Shape& s) { s.fan_out = 1; },
           [](Shape& s) { s.layers = -1; }, [](Shape& s) { s.layer_chance = 1001; },
           [](Shape& s) { s.amount_percent = 0; }, [](Shape& s) { s.mule_transfers = -5; }}) {
    o.shape = Shape{};
    bad(o.shape);
    EXPECT_EQ(GenerateWorld(o).status().code(), ErrorCode::kInvalidInput);
  }
}

}  // namespace
}  // namespace fanzha::gen
