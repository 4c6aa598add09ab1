#include "gen/narrative.h"

#include <array>
#include <unordered_map>

namespace fanzha::gen {
namespace {

// The built-in categories (core/model.h BuiltinCategories), in their order; kScripts follows it.
constexpr std::string_view kCategories[] = {"fake_goods_sale",
                                            "impersonation_official",
                                            "impersonation_service",
                                            "investment",
                                            "romance",
                                            "loan",
                                            "refund",
                                            "part_time_job",
                                            "impersonation_acquaintance",
                                            "other"};

// Per category, scripts; each script is a story with '|'-separated alternative phrasings for the
// middle part. {A} is the amount.
struct Script {
  std::string_view story[3];
};
using Scripts = std::array<Script, 2>;

constexpr Scripts kScripts[] = {
    // fake_goods_sale
    {{{{"在微信朋友圈看到有人出售口罩", "对方称有现货，要求先付全款",
        "转账{A}元后对方不发货并将我拉黑"}},
      {{"在网上一个购物网站看到低价手机", "客服说付款后三天内发货",
        "付了{A}元后网站打不开，客服不回"}}}},
    // impersonation_official
    {{{{"接到自称公安局民警的电话", "说我的银行卡涉嫌洗钱，需要把钱转到安全账户核查",
        "按对方要求转了{A}元，后发现被骗"}},
      {{"有人冒充检察院打电话称我涉嫌一宗案件", "让我下载软件配合资金清查",
        "共转账{A}元到对方指定账户"}}}},
    // impersonation_service
    {{{{"接到自称快递客服的电话，说我的快递丢了要理赔", "对方让我扫码进入理赔页面并填写银行卡信息",
        "卡里被转走{A}元"}},
      {{"有人冒充电商平台客服，说我的会员要扣费", "让我开通屏幕共享取消服务",
        "按提示操作后被转走{A}元"}}}},
    // investment
    {{{{"被人拉进股票交流群，有导师带着炒股", "在对方推荐的平台上投资，开始有收益",
        "追加投资共{A}元后无法提现"}},
      {{"网上认识的朋友推荐一个数字货币理财平台", "说收益很高稳赚不赔",
        "先后充值{A}元，平台关闭联系不上"}}}},
    // romance
    {{{{"在交友软件上认识一名男子，聊了一个月确定恋爱关系", "对方说有内部渠道可以投资赚钱",
        "我投入{A}元后对方消失"}},
      {{"网上认识的女友说家里出事急需用钱", "多次以各种理由向我借钱",
        "一共转给对方{A}元，后被拉黑"}}}},
    // loan
    {{{{"接到贷款电话，说无抵押低息放款", "对方以解冻费、保证金为由让我转账",
        "转了{A}元后仍未放款"}},
      {{"在网上下载了一个贷款软件申请贷款", "软件提示银行卡号填错被冻结，需要交解冻金",
        "交了{A}元后发现被骗"}}}},
    // refund
    {{{{"接到电话说我网购的商品有质量问题，可以退款", "对方让我在一个退款页面输入银行卡和验证码",
        "卡内{A}元被转走"}},
      {{"有人说我买的衣服被召回要双倍赔偿", "要求我先在支付宝备用金里借款再转回", "被骗{A}元"}}}},
    // part_time_job
    {{{{"在网上看到刷单兼职广告，说做任务可以返利", "前几单有返利，后面说任务要连续完成才能返还",
        "共垫付{A}元，对方不返还"}},
      {{"被拉进一个点赞兼职群，说点赞就有佣金", "后来让我做垫资任务，说系统卡单需要继续充值",
        "共转账{A}元后被踢出群"}}}},
    // impersonation_acquaintance
    {{{{"有人冒充我的领导加我微信", "说要给别人转账让我先垫付", "转账{A}元后发现不是本人"}},
      {{"接到冒充熟人的电话说出了车祸急需用钱", "要我马上把钱转到一个账户",
        "转了{A}元后联系本人才知道被骗"}}}},
    // other
    {{{{"有人打电话说可以帮我修复征信记录", "要求先交手续费和保证金", "转账{A}元后对方失联"}},
      {{"在游戏里有人高价收购我的装备", "让我在一个交易网站注册并充值保证金才能提现",
        "充值{A}元后无法提现"}}}},
};

constexpr std::string_view kOpenings[] = {"", "报警人称：", "本人于近日", "受害人报称，", "事主称"};
constexpr std::string_view kJoins[] = {"，", "。", "，随后", "，之后"};
constexpr std::string_view kEndings[] = {"。", "，请求警方帮助追回。", "，现报警。",
                                         "。特此报案。"};

const std::unordered_map<std::string_view, std::string_view>& TraditionalTable() {
  static const auto* table = new std::unordered_map<std::string_view, std::string_view>{
      {"诈", "詐"}, {"骗", "騙"}, {"转", "轉"}, {"账", "賬"}, {"说", "說"}, {"买", "買"},
      {"货", "貨"}, {"钱", "錢"}, {"银", "銀"}, {"后", "後"}, {"让", "讓"}, {"对", "對"},
      {"个", "個"}, {"们", "們"}, {"时", "時"}, {"发", "發"}, {"给", "給"}, {"为", "為"},
      {"实", "實"}, {"称", "稱"}, {"务", "務"}, {"户", "戶"}, {"关", "關"}, {"冻", "凍"},
      {"结", "結"}, {"资", "資"}, {"报", "報"}, {"网", "網"}, {"页", "頁"}, {"单", "單"},
      {"还", "還"}, {"贷", "貸"}, {"额", "額"}, {"费", "費"}, {"证", "證"}, {"认", "認"},
      {"识", "識"}, {"恋", "戀"}, {"爱", "愛"}, {"财", "財"}, {"导", "導"}, {"师", "師"},
      {"现", "現"}, {"职", "職"}, {"递", "遞"}, {"丢", "丟"}, {"赔", "賠"}, {"偿", "償"},
      {"检", "檢"}, {"软", "軟"}, {"件", "件"}, {"码", "碼"}, {"扫", "掃"}, {"进", "進"},
      {"场", "場"}, {"卡", "卡"}, {"与", "與"}, {"无", "無"}, {"开", "開"}, {"门", "門"},
      {"从", "從"}, {"过", "過"}, {"该", "該"}, {"见", "見"}, {"带", "帶"}, {"会", "會"},
      {"问", "問"}, {"题", "題"}, {"质", "質"}, {"处", "處"}, {"员", "員"}, {"电", "電"},
      {"话", "話"}, {"涉", "涉"}, {"嫌", "嫌"}, {"载", "載"}, {"配", "配"}, {"合", "合"},
      {"清", "清"}, {"查", "查"}, {"宗", "宗"}, {"现", "現"}, {"满", "滿"}, {"圈", "圈"},
      {"罩", "罩"}, {"拉", "拉"}, {"黑", "黑"}, {"机", "機"}, {"内", "內"}, {"站", "站"},
      {"局", "局"}, {"警", "警"}, {"页", "頁"}, {"员", "員"}, {"费", "費"}, {"扣", "扣"},
      {"屏", "屏"}, {"幕", "幕"}, {"共", "共"}, {"享", "享"}, {"取", "取"}, {"消", "消"},
      {"提", "提"}, {"示", "示"}, {"操", "操"}, {"作", "作"}, {"股", "股"}, {"票", "票"},
      {"流", "流"}, {"群", "群"}, {"数", "數"}, {"币", "幣"}, {"赚", "賺"}, {"赔", "賠"},
      {"闭", "閉"}, {"联", "聯"}, {"系", "繫"}, {"渠", "渠"}, {"里", "裡"}, {"急", "急"},
      {"需", "需"}, {"种", "種"}, {"由", "由"}, {"贷", "貸"}, {"电", "電"}, {"抵", "抵"},
      {"押", "押"}, {"低", "低"}, {"息", "息"}, {"放", "放"}, {"仍", "仍"}, {"未", "未"},
      {"载", "載"}, {"请", "請"}, {"错", "錯"}, {"被", "被"}, {"验", "驗"}, {"衣", "衣"},
      {"服", "服"}, {"召", "召"}, {"双", "雙"}, {"倍", "倍"}, {"备", "備"}, {"用", "用"},
      {"金", "金"}, {"刷", "刷"}, {"广", "廣"}, {"告", "告"}, {"务", "務"}, {"连", "連"},
      {"续", "續"}, {"完", "完"}, {"成", "成"}, {"返", "返"}, {"垫", "墊"}, {"点", "點"},
      {"赞", "讚"}, {"佣", "傭"}, {"统", "統"}, {"继", "繼"}, {"踢", "踢"}, {"领", "領"},
      {"导", "導"}, {"熟", "熟"}, {"车", "車"}, {"祸", "禍"}, {"马", "馬"}, {"个", "個"},
      {"帮", "幫"}, {"助", "助"}, {"追", "追"}, {"回", "回"}, {"于", "於"}, {"近", "近"},
      {"随", "隨"}, {"术", "術"}, {"么", "麼"}, {"这", "這"}, {"东", "東"}, {"现", "現"},
      {"恢", "恢"}, {"复", "復"}, {"护", "護"}, {"区", "區"}, {"乐", "樂"}, {"实", "實"},
      {"头", "頭"}, {"龙", "龍"}, {"优", "優"}, {"惠", "惠"}, {"价", "價"}, {"邮", "郵"},
      {"寄", "寄"}, {"亿", "億"}, {"万", "萬"}, {"块", "塊"}};
  return *table;
}

size_t Utf8Length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead < 0xE0) return 2;
  if (lead < 0xF0) return 3;
  return 4;
}

void ReplaceAll(std::string* s, std::string_view from, std::string_view to) {
  for (size_t pos = s->find(from); pos != std::string::npos; pos = s->find(from, pos + to.size()))
    s->replace(pos, from.size(), to);
}

}  // namespace

std::span<const std::string_view> Categories() { return kCategories; }

int ScriptCount(size_t /*category*/) { return 2; }

std::string Narrative(size_t category, int script, int64_t yuan, bool traditional, Rng& rng) {
  const Script& s = kScripts[category][script];
  std::string text(kOpenings[rng.Below(std::size(kOpenings))]);
  text += s.story[0];
  // Victims leave out or reorder details: sometimes the middle of the story is missing.
  if (!rng.Chance(150)) {
    text += kJoins[rng.Below(std::size(kJoins))];
    text += s.story[1];
  }
  text += kJoins[rng.Below(std::size(kJoins))];
  text += s.story[2];
  text += kEndings[rng.Below(std::size(kEndings))];
  ReplaceAll(&text, "{A}", std::to_string(yuan));
  ReplaceAll(&text, "。，", "，");
  ReplaceAll(&text, "。。", "。");
  return traditional ? ToTraditional(text) : text;
}

std::string ToTraditional(std::string_view simplified) {
  const auto& table = TraditionalTable();
  std::string out;
  out.reserve(simplified.size());
  for (size_t i = 0; i < simplified.size();) {
    const size_t n = Utf8Length(static_cast<unsigned char>(simplified[i]));
    const std::string_view ch = simplified.substr(i, n);
    auto it = table.find(ch);
    out += it == table.end() ? ch : it->second;
    i += n;
  }
  return out;
}

}  // namespace fanzha::gen
