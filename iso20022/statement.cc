// camt.052 / camt.053 / camt.054 read as a stream of transactions (see statement.h).
#include "iso20022/statement.h"

#include <optional>
#include <vector>

#include "core/text.h"
#include "iso20022/values.h"
#include "iso20022/xml.h"

namespace fanzha::iso20022 {

Status StatementVisitor::OnBadEntry(int64_t, const Status& why, std::string_view) { return why; }

std::string_view Name(EntryStatus s) {
  switch (s) {
    case EntryStatus::kBooked:
      return "booked";
    case EntryStatus::kPending:
      return "pending";
    case EntryStatus::kInformation:
      return "information";
    case EntryStatus::kFuture:
      return "future";
    case EntryStatus::kOther:
      return "other";
  }
  return "other";
}

namespace {

constexpr std::string_view kCamtPrefix = "urn:iso:std:iso:20022:tech:xsd:";

// The message and statement element names of the three messages.
struct Names {
  Message message;
  std::string_view number, message_element, statement_element;
};
constexpr Names kNames[] = {
    {Message::kAccountReport, "052", "BkToCstmrAcctRpt", "Rpt"},
    {Message::kStatement, "053", "BkToCstmrStmt", "Stmt"},
    {Message::kNotification, "054", "BkToCstmrDbtCdtNtfctn", "Ntfctn"},
};

// "camt.053.001.08" (or "camt.053") -> its message; nullopt for other names.
std::optional<MessageType> TypeFromName(std::string_view name) {
  if (!name.starts_with("camt.") || name.size() < 8) return std::nullopt;
  for (const Names& n : kNames) {
    if (name.substr(5, 3) != n.number) continue;
    if (name.size() > 8 && name[8] != '.') return std::nullopt;
    return MessageType{n.message, std::string(name)};
  }
  return std::nullopt;
}

std::optional<MessageType> TypeFromNamespace(std::string_view ns) {
  ns = Trim(ns);
  if (!ns.starts_with(kCamtPrefix)) return std::nullopt;
  return TypeFromName(ns.substr(kCamtPrefix.size()));
}

// "BkToCstmrStmt", and "BkToCstmrStmtV01" as version 1 named it.
const Names* NamesOfMessageElement(std::string_view local) {
  if (local.size() > 3 && local[local.size() - 3] == 'V' && local.back() >= '0' &&
      local.back() <= '9' && local[local.size() - 2] >= '0' && local[local.size() - 2] <= '9')
    local.remove_suffix(3);
  for (const Names& n : kNames)
    if (n.message_element == local) return &n;
  return nullptr;
}

bool IsStatementElement(std::string_view local) {
  for (const Names& n : kNames)
    if (n.statement_element == local) return true;
  return false;
}

// The statement being read and what an entry needs from it.
struct StatementContext {
  std::string path;  // "Document/BkToCstmrStmt/Stmt[2]"
  std::string id, account, account_currency;
  std::string own;  // CompactAccount(account), to compare the parties' accounts with
  std::string created, period_end;  // as written
  std::string message_created;      // GrpHdr/CreDtTm
  Zone default_zone;
  Zone zone() const {
    if (auto z = ZoneOfTime(created)) return *z;
    if (auto z = ZoneOfTime(message_created)) return *z;
    return default_zone;
  }
};

std::string AccountId(const xmlNode* account) {
  const xmlNode* id = xml::Child(account, "Id");
  for (std::string_view path : {"IBAN", "Othr/Id", "BBAN", "UPIC", "PrtryAcct/Id"}) {
    std::string v = xml::TextAt(id, path);
    if (!v.empty()) return v;
  }
  return {};
}

// A party's name: Nm (up to version 7), Pty/Nm (8 and later), or the agent's name or BIC when the
// party is a financial institution.
std::string PartyName(const xmlNode* party) {
  for (std::string_view path :
       {"Nm", "Pty/Nm", "Agt/FinInstnId/Nm", "Agt/FinInstnId/BICFI", "Agt/FinInstnId/BIC"}) {
    std::string v = xml::TextAt(party, path);
    if (!v.empty()) return v;
  }
  return {};
}

std::string AgentId(const xmlNode* agent) {
  const xmlNode* fi = xml::Child(agent, "FinInstnId");
  for (std::string_view path : {"BICFI", "BIC", "Nm", "ClrSysMmbId/MmbId", "Othr/Id"}) {
    std::string v = xml::TextAt(fi, path);
    if (!v.empty()) return v;
  }
  return {};
}

std::string BankCode(const xmlNode* code) {
  if (!code) return {};
  const xmlNode* domain = xml::Child(code, "Domn");
  if (domain) {
    std::string d = xml::TextAt(domain, "Cd"), f = xml::TextAt(domain, "Fmly/Cd"),
                s = xml::TextAt(domain, "Fmly/SubFmlyCd");
    if (!d.empty()) return d + "/" + f + "/" + s;
  }
  return xml::TextAt(code, "Prtry/Cd");
}

std::string Present(std::string v) { return IsNotProvided(v) ? std::string() : v; }

// Reads one Ntry into its transactions; errors carry the line of the element at fault.
class EntryReader {
 public:
  EntryReader(const xmlNode* entry, std::string path, const StatementContext& st)
      : entry_(entry), path_(std::move(path)), st_(st) {}

  Status Read(std::vector<Transaction>* out);
  int64_t error_line() const { return error_line_; }

 private:
  // "PATH: what", and "PATH：zh" for a reader of Chinese.
  Status Fail(const xmlNode* at, const std::string& what, const std::string& zh) {
    error_line_ = xml::Line(at ? at : entry_);
    std::string below = at ? xml::PathBelow(entry_, at) : "";
    std::string path = path_ + (below.empty() ? "" : "/" + below);
    return Status::Invalid(path + ": " + what).WithZh(path + "：" + zh);
  }
  // Reads <Amt Ccy="..">; the amount in hundredths and its currency.
  Status ReadAmount(const xmlNode* amt, Fen* fen, std::string* ccy) {
    Result<Fen> v = ParseAmount(xml::Text(amt));
    if (!v.ok()) return Fail(amt, v.status().message(), v.status().zh());
    std::string c = xml::Attribute(amt, "Ccy");
    if (!IsCurrencyCode(c))
      return Fail(amt,
                  c.empty() ? "no currency (Ccy attribute)"
                            : "currency '" + c + "' is not an ISO 4217 code",
                  c.empty() ? "缺少币种（Ccy 属性）" : "币种 '" + c + "' 不是 ISO 4217 代码");
    *fen = *v;
    *ccy = std::move(c);
    return Status::Ok();
  }
  Status ReadDirection(const xmlNode* node, bool* credit) {
    std::string v = xml::Text(node);
    if (v == "CRDT" || v == "crdt")
      *credit = true;
    else if (v == "DBIT" || v == "dbit")
      *credit = false;
    else
      return Fail(node ? node : entry_,
                  node ? "'" + v + "' is neither CRDT nor DBIT" : "CdtDbtInd: missing",
                  node ? "'" + v + "' 既不是 CRDT（贷）也不是 DBIT（借）" : "CdtDbtInd：缺失");
    return Status::Ok();
  }
  Status ReadTime(Transaction* t);
  // The amount of one TxDtls in the entry's currency; nullopt when it gives none.
  Result<std::optional<Fen>> DetailAmount(const xmlNode* tx);
  void ReadDetails(const xmlNode* tx, Transaction* t);
  void ChooseId(const xmlNode* tx, Transaction* t);

  const xmlNode* entry_;
  std::string path_;
  const StatementContext& st_;
  int64_t error_line_ = 0;
  std::string currency_;
};

Status EntryReader::ReadTime(Transaction* t) {
  Zone zone = st_.zone();
  struct Source {
    const xmlNode* node;
    std::string_view name;
  };
  const xmlNode* booking = xml::Child(entry_, "BookgDt");
  const xmlNode* value = xml::Child(entry_, "ValDt");
  for (Source s : {Source{xml::Child(booking, "DtTm"), "BookgDt/DtTm"},
                   Source{xml::Child(booking, "Dt"), "BookgDt/Dt"},
                   Source{xml::Child(value, "DtTm"), "ValDt/DtTm"},
                   Source{xml::Child(value, "Dt"), "ValDt/Dt"}}) {
    if (!s.node) continue;
    Result<Millis> ms = ParseIsoTime(xml::Text(s.node), zone);
    if (!ms.ok()) return Fail(s.node, ms.status().message(), ms.status().zh());
    t->booked_at = *ms;
    t->time_source = std::string(s.name);
    return Status::Ok();
  }
  // No booking or value date (some central-bank statements): the statement's own times.
  for (auto [text, name] :
       {std::pair{&st_.period_end, "Stmt/FrToDt/ToDtTm"}, std::pair{&st_.created, "Stmt/CreDtTm"},
        std::pair{&st_.message_created, "GrpHdr/CreDtTm"}}) {
    if (text->empty()) continue;
    Result<Millis> ms = ParseIsoTime(*text, zone);
    if (!ms.ok())
      return Fail(entry_, std::string(name) + ": " + ms.status().message(),
                  std::string(name) + "：" + ms.status().zh());
    t->booked_at = *ms;
    t->time_source = name;
    return Status::Ok();
  }
  return Fail(entry_, "BookgDt: missing (and no value date or statement time to fall back on)",
              "BookgDt：缺失（也没有起息日或对账单时间可以替代）");
}

Result<std::optional<Fen>> EntryReader::DetailAmount(const xmlNode* tx) {
  for (std::string_view path :
       {"Amt", "AmtDtls/TxAmt/Amt", "AmtDtls/CntrValAmt/Amt", "AmtDtls/InstdAmt/Amt"}) {
    const xmlNode* amt = xml::Find(tx, path);
    if (!amt) continue;
    Fen fen = 0;
    std::string ccy;
    FANZHA_RETURN_IF_ERROR(ReadAmount(amt, &fen, &ccy));
    if (ccy == currency_) return std::optional<Fen>(fen);
  }
  return std::optional<Fen>();
}

void EntryReader::ChooseId(const xmlNode* tx, Transaction* t) {
  std::string k = t->count > 1 ? "/" + std::to_string(t->index) : "";
  struct Candidate {
    const std::string* value;
    std::string suffix;
    std::string_view source;
  };
  for (const Candidate& c :
       {Candidate{&t->servicer_ref, "", "TxDtls/Refs/AcctSvcrRef"},
        Candidate{&t->entry_servicer_ref, k, "Ntry/AcctSvcrRef"},
        Candidate{&t->tx_id, "", "TxDtls/Refs/TxId"}, Candidate{&t->uetr, "", "TxDtls/Refs/UETR"},
        Candidate{&t->end_to_end_id, "", "TxDtls/Refs/EndToEndId"},
        Candidate{&t->instruction_id, "", "TxDtls/Refs/InstrId"},
        Candidate{&t->entry_ref, k, "Ntry/NtryRef"}}) {
    if (c.value->empty()) continue;
    t->id = *c.value + c.suffix;
    t->id_source = std::string(c.source);
    return;
  }
  (void)tx;
}

void EntryReader::ReadDetails(const xmlNode* tx, Transaction* t) {
  const xmlNode* refs = xml::Child(tx, "Refs");
  t->message_id = Present(xml::TextAt(refs, "MsgId"));
  t->servicer_ref = Present(xml::TextAt(refs, "AcctSvcrRef"));
  t->payment_info_id = Present(xml::TextAt(refs, "PmtInfId"));
  t->instruction_id = Present(xml::TextAt(refs, "InstrId"));
  t->end_to_end_id = Present(xml::TextAt(refs, "EndToEndId"));
  t->uetr = Present(xml::TextAt(refs, "UETR"));
  t->tx_id = Present(xml::TextAt(refs, "TxId"));
  t->mandate_id = Present(xml::TextAt(refs, "MndtId"));
  t->cheque_number = Present(xml::TextAt(refs, "ChqNb"));
  t->clearing_ref = Present(xml::TextAt(refs, "ClrSysRef"));

  // The other party. Money that goes out goes to the creditor, money that comes in comes from the
  // debtor; a reversal undoes a payment the other way, so its other party is the other role. When
  // one of the two accounts is the statement's own, the other one is the counterparty whatever
  // the roles say.
  const xmlNode* parties = xml::Child(tx, "RltdPties");
  const xmlNode* agents = xml::Child(tx, "RltdAgts");
  std::string debtor_account = AccountId(xml::Child(parties, "DbtrAcct"));
  std::string creditor_account = AccountId(xml::Child(parties, "CdtrAcct"));
  const std::string& own = st_.own;
  bool debtor_is_own = !debtor_account.empty() && CompactAccount(debtor_account) == own;
  bool creditor_is_own = !creditor_account.empty() && CompactAccount(creditor_account) == own;
  bool other_is_debtor = t->credit != t->reversal;
  if (debtor_is_own != creditor_is_own) other_is_debtor = creditor_is_own;
  if (other_is_debtor) {
    t->counterparty_account = debtor_is_own ? "" : debtor_account;
    t->counterparty_name = PartyName(xml::Child(parties, "Dbtr"));
    if (t->counterparty_name.empty())
      t->counterparty_name = PartyName(xml::Child(parties, "UltmtDbtr"));
    t->counterparty_bank = AgentId(xml::Child(agents, "DbtrAgt"));
  } else {
    t->counterparty_account = creditor_is_own ? "" : creditor_account;
    t->counterparty_name = PartyName(xml::Child(parties, "Cdtr"));
    if (t->counterparty_name.empty())
      t->counterparty_name = PartyName(xml::Child(parties, "UltmtCdtr"));
    t->counterparty_bank = AgentId(xml::Child(agents, "CdtrAgt"));
  }

  const xmlNode* remittance = xml::Child(tx, "RmtInf");
  xml::ForEachChild(remittance, "Ustrd", [&](const xmlNode* line) {
    std::string text = xml::Text(line);
    if (IsNotProvided(text)) return;
    if (!t->remittance.empty()) t->remittance.push_back(' ');
    t->remittance += text;
  });
  if (t->remittance.empty()) {
    for (std::string_view path :
         {"Strd/CdtrRefInf/Ref", "Strd/RfrdDocInf/Nb", "Strd/AddtlRmtInf"}) {
      t->remittance = Present(xml::TextAt(remittance, path));
      if (!t->remittance.empty()) break;
    }
  }
  std::string info = xml::Text(xml::Child(tx, "AddtlTxInf"));
  if (!info.empty()) t->info = info;
  std::string code = BankCode(xml::Child(tx, "BkTxCd"));
  if (!code.empty()) t->bank_code = code;
  t->return_reason = xml::TextAt(tx, "RtrInf/Rsn/Cd");
  if (t->return_reason.empty()) t->return_reason = xml::TextAt(tx, "RtrInf/Rsn/Prtry");
}

Status EntryReader::Read(std::vector<Transaction>* out) {
  Transaction base;
  base.statement_id = st_.id;
  base.account = st_.account;
  base.account_currency = st_.account_currency;
  if (st_.account.empty())
    return Fail(entry_, "the statement names no account (Acct/Id) before its entries",
                "对账单在记账条目之前没有写明账户（Acct/Id）");

  const xmlNode* amount = xml::Child(entry_, "Amt");
  if (!amount) return Fail(entry_, "Amt: missing", "Amt：缺失");
  FANZHA_RETURN_IF_ERROR(ReadAmount(amount, &base.amount, &base.currency));
  currency_ = base.currency;
  FANZHA_RETURN_IF_ERROR(ReadDirection(xml::Child(entry_, "CdtDbtInd"), &base.credit));
  std::string reversal = xml::Text(xml::Child(entry_, "RvslInd"));
  base.reversal = reversal == "true" || reversal == "1";
  const xmlNode* status = xml::Child(entry_, "Sts");
  base.status_code = xml::Text(status);
  if (base.status_code.empty()) base.status_code = xml::TextAt(status, "Cd");
  if (base.status_code.empty()) base.status_code = xml::TextAt(status, "Prtry");
  base.status = ParseEntryStatus(base.status_code);
  FANZHA_RETURN_IF_ERROR(ReadTime(&base));
  base.entry_ref = Present(xml::Text(xml::Child(entry_, "NtryRef")));
  base.entry_servicer_ref = Present(xml::Text(xml::Child(entry_, "AcctSvcrRef")));
  base.bank_code = BankCode(xml::Child(entry_, "BkTxCd"));
  base.info = xml::Text(xml::Child(entry_, "AddtlNtryInf"));

  // The details and their paths below the entry, counted here: a path found by walking the
  // siblings of each would cost the square of a batch's size.
  std::vector<const xmlNode*> details;
  std::vector<std::string> detail_paths;
  int groups = 0;
  xml::ForEachChild(entry_, "NtryDtls", [&](const xmlNode*) { ++groups; });
  int group = 0;
  xml::ForEachChild(entry_, "NtryDtls", [&](const xmlNode* d) {
    ++group;
    size_t first = details.size();
    xml::ForEachChild(d, "TxDtls", [&](const xmlNode* tx) { details.push_back(tx); });
    std::string prefix =
        groups > 1 ? "NtryDtls[" + std::to_string(group) + "]/TxDtls" : "NtryDtls/TxDtls";
    size_t n = details.size() - first;
    for (size_t k = 0; k < n; ++k)
      detail_paths.push_back(n > 1 ? prefix + "[" + std::to_string(k + 1) + "]" : prefix);
  });

  // A batch is split when its transactions carry amounts that account for the entry.
  std::vector<Fen> amounts;
  std::vector<bool> credits;
  if (details.size() > 1) {
    size_t with_amount = 0;
    for (const xmlNode* tx : details) {
      FANZHA_ASSIGN_OR_RETURN(std::optional<Fen> a, DetailAmount(tx));
      amounts.push_back(a.value_or(-1));
      with_amount += a.has_value();
    }
    if (with_amount == 0) {
      details.clear();  // a batch reported without its parts' amounts: one transaction
      detail_paths.clear();
      amounts.clear();
    } else if (with_amount < details.size()) {
      for (size_t i = 0; i < details.size(); ++i)
        if (amounts[i] < 0)
          return Fail(details[i],
                      "no amount in " + currency_ +
                          " (a batch is split only when "
                          "each of its transactions has its amount)",
                      "没有以 " + currency_ + " 计的金额（只有每笔明细都有金额时才拆分批量记账）");
    }
  }
  if (details.size() > 1) {
    Fen sum = 0, net = 0;
    credits.assign(details.size(), base.credit);
    for (size_t i = 0; i < details.size(); ++i) {
      sum += amounts[i];
      const xmlNode* ind = xml::Child(details[i], "CdtDbtInd");
      bool credit = base.credit;
      if (ind) FANZHA_RETURN_IF_ERROR(ReadDirection(ind, &credit));
      credits[i] = credit;
      net += credit ? amounts[i] : -amounts[i];
    }
    if (sum == base.amount) {
      credits.assign(details.size(), base.credit);  // one direction, as the entry books it
    } else if (net != (base.credit ? base.amount : -base.amount)) {
      return Fail(
          xml::Child(entry_, "NtryDtls"),
          "the " + std::to_string(details.size()) + " transactions add up to " + FormatMoney(sum) +
              " " + currency_ + ", but the entry's Amt is " + FormatMoney(base.amount) + " " +
              currency_ + " (a batch is split only when its parts account for it to the fen)",
          "批量记账的 " + std::to_string(details.size()) + " 笔明细合计 " + FormatMoney(sum) + " " +
              currency_ + "，与该笔记账的 Amt " + FormatMoney(base.amount) + " " + currency_ +
              " 不符（只有明细金额与记账金额分毫不差时才拆分批量记账）");
    }
  }

  const size_t n = std::max<size_t>(details.size(), 1);
  for (size_t i = 0; i < n; ++i) {
    Transaction t = base;
    const xmlNode* tx = details.empty() ? nullptr : details[i];
    t.index = static_cast<int>(i + 1);
    t.count = static_cast<int>(n);
    if (n > 1) {
      t.amount = amounts[i];
      t.credit = credits[i];
    }
    ReadDetails(tx, &t);
    // The instructed amount, when the payment was made in another currency.
    if (const xmlNode* instructed = xml::Find(tx, "AmtDtls/InstdAmt/Amt")) {
      Fen fen = 0;
      std::string ccy;
      FANZHA_RETURN_IF_ERROR(ReadAmount(instructed, &fen, &ccy));
      if (ccy != t.currency) {
        t.instructed_amount = fen;
        t.instructed_currency = ccy;
      }
    }
    ChooseId(tx, &t);
    const xmlNode* at = tx ? tx : entry_;
    t.line = xml::Line(at);
    t.path = tx ? path_ + "/" + detail_paths[i] : path_;
    out->push_back(std::move(t));
  }
  return Status::Ok();
}

// Reads the whole document through the visitor.
class DocumentReader {
 public:
  DocumentReader(xml::Reader& r, const ReadOptions& o, StatementVisitor& v)
      : r_(r), options_(o), visitor_(v) {}
  Result<ReadSummary> Run();

 private:
  Status FindMessage();
  Status Header(const xmlNode* node);
  Status Entry(const xmlNode* node);

  xml::Reader& r_;
  const ReadOptions& options_;
  StatementVisitor& visitor_;
  ReadSummary summary_;
  int message_depth_ = -1;  // depth of BkToCstmrStmt (or its sisters)
  std::string message_path_;
  std::string message_created_;
  std::optional<StatementContext> statement_;
  int64_t entry_index_ = 0;
  std::vector<Transaction> txs_;
};

Status DocumentReader::FindMessage() {
  std::string document_path;
  bool skip = false;  // past an application header (AppHdr) before the Document
  for (;;) {
    FANZHA_ASSIGN_OR_RETURN(bool more, skip ? r_.Skip() : r_.Read());
    skip = false;
    if (!more)
      return r_.Error(
          r_.line(),
          "not an ISO 20022 camt.052, camt.053 or camt.054 message (no "
          "Document in their namespace)",
          "不是 ISO 20022 camt.052、camt.053 或 camt.054 报文（其命名空间下没有 Document）");
    if (!r_.AtElementStart()) continue;
    std::string_view local = r_.local_name();
    if (auto type = TypeFromNamespace(r_.namespace_uri())) summary_.type = *type;
    if (local == "Document") {  // in any namespace (or none): paths name it, being where they are
      document_path = "Document";
      continue;  // the message element is its child
    }
    if (const Names* names = NamesOfMessageElement(local)) {
      if (summary_.type.name.empty())  // no namespace: the version is unknown
        summary_.type = MessageType{names->message, "camt." + std::string(names->number)};
      message_depth_ = r_.depth();
      message_path_ = (document_path.empty() ? "" : document_path + "/") + std::string(local);
      return Status::Ok();
    }
    skip = local == "AppHdr";
  }
}

Status DocumentReader::Header(const xmlNode* node) {
  std::string_view name = xml::LocalName(node);
  StatementContext& st = *statement_;
  if (name == "Id") {
    st.id = xml::Text(node);
  } else if (name == "CreDtTm") {
    st.created = xml::Text(node);
  } else if (name == "FrToDt") {
    st.period_end = xml::TextAt(node, "ToDtTm");
  } else if (name == "Acct") {
    st.account = AccountId(node);
    st.own = CompactAccount(st.account);
    st.account_currency = xml::TextAt(node, "Ccy");
    if (st.account.empty())
      return r_.Error(xml::Line(node), st.path + "/Acct/Id: no account number (IBAN or Othr/Id)",
                      st.path + "/Acct/Id：没有账号（IBAN 或 Othr/Id）");
  }
  return Status::Ok();
}

Status DocumentReader::Entry(const xmlNode* node) {
  ++summary_.entries;
  ++entry_index_;
  EntryReader reader(node, statement_->path + "/Ntry[" + std::to_string(entry_index_) + "]",
                     *statement_);
  txs_.clear();
  Status st = reader.Read(&txs_);
  if (!st.ok()) {
    ++summary_.bad_entries;
    Status back = visitor_.OnBadEntry(reader.error_line(), st, xml::Dump(node, 4096));
    // The entry's own error, handed back: name the document and the line.
    if (!back.ok() && back.code() == st.code() && back.message() == st.message())
      return st.WithContext(r_.name() + ":" + std::to_string(reader.error_line()));
    return back;
  }
  for (const Transaction& t : txs_) {
    ++summary_.transactions;
    FANZHA_RETURN_IF_ERROR(visitor_.OnTransaction(t));
  }
  return Status::Ok();
}

Result<ReadSummary> DocumentReader::Run() {
  FANZHA_RETURN_IF_ERROR(FindMessage());
  bool skip = false;  // whether the current node's subtree is done with
  for (;;) {
    Result<bool> more = skip ? r_.Skip() : r_.Read();
    skip = false;
    if (!more.ok()) return more.status();
    if (!*more) break;
    if (!r_.AtElementStart()) continue;
    int depth = r_.depth();
    std::string_view local = r_.local_name();
    if (depth <= message_depth_) {  // past the message: the rest only has to be well-formed
      skip = true;
      continue;
    }
    if (depth == message_depth_ + 1) {
      if (IsStatementElement(local)) {
        ++summary_.statements;
        statement_.emplace();
        statement_->path = message_path_ + "/" + std::string(local) + "[" +
                           std::to_string(summary_.statements) + "]";
        statement_->message_created = message_created_;
        statement_->default_zone = options_.zone;
        entry_index_ = 0;
        continue;  // descend into it
      }
      if (local == "GrpHdr") {
        FANZHA_ASSIGN_OR_RETURN(const xmlNode* header, r_.Expand());
        message_created_ = xml::TextAt(header, "CreDtTm");
      }
      skip = true;
      continue;
    }
    if (depth == message_depth_ + 2 && statement_) {
      FANZHA_ASSIGN_OR_RETURN(const xmlNode* node, r_.Expand());
      FANZHA_RETURN_IF_ERROR(local == "Ntry" ? Entry(node) : Header(node));
    }
    skip = true;
  }
  return summary_;
}

}  // namespace

std::optional<MessageType> Sniff(std::string_view head) {
  if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);
  size_t first = head.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || head[first] != '<') return std::nullopt;
  for (size_t at = head.find(kCamtPrefix); at != std::string_view::npos;
       at = head.find(kCamtPrefix, at + 1)) {
    std::string_view rest = head.substr(at + kCamtPrefix.size());
    size_t end = rest.find_first_of("\"' \t\r\n<>");
    if (auto type = TypeFromName(rest.substr(0, end))) return type;
  }
  for (const Names& n : kNames) {  // no namespace at all: the message element by name
    for (size_t at = head.find(n.message_element); at != std::string_view::npos;
         at = head.find(n.message_element, at + 1)) {
      char before = at > 0 ? head[at - 1] : ' ';
      char after =
          at + n.message_element.size() < head.size() ? head[at + n.message_element.size()] : '>';
      if ((before == '<' || before == ':') &&
          (after == '>' || after == ' ' || after == '\n' || after == '\r' || after == '\t'))
        return MessageType{n.message, "camt." + std::string(n.number)};
    }
  }
  return std::nullopt;
}

Result<ReadSummary> ReadStatements(std::string_view bytes, std::string_view name,
                                   const ReadOptions& options, StatementVisitor& visitor) {
  FANZHA_ASSIGN_OR_RETURN(
      auto reader,
      xml::Reader::OpenMemory(bytes, std::string(name), options.max_bytes, options.on_progress));
  return DocumentReader(*reader, options, visitor).Run();
}

Result<ReadSummary> ReadStatementFile(const std::string& path, const ReadOptions& options,
                                      StatementVisitor& visitor) {
  FANZHA_ASSIGN_OR_RETURN(auto reader,
                          xml::Reader::OpenFile(path, options.max_bytes, options.on_progress));
  return DocumentReader(*reader, options, visitor).Run();
}

}  // namespace fanzha::iso20022
