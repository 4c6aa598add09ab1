// camt.056 written and read, camt.029 read and written (see recall.h).
#include "iso20022/recall.h"

#include <libxml/xmlwriter.h>

#include <memory>
#include <optional>

#include "core/text.h"
#include "iso20022/values.h"
#include "iso20022/xml.h"

namespace fanzha::iso20022 {

std::string_view Name(RecallOutcome outcome) {
  switch (outcome) {
    case RecallOutcome::kCancelled:
      return "cancelled";
    case RecallOutcome::kRejected:
      return "rejected";
    case RecallOutcome::kPending:
      return "pending";
  }
  return "pending";
}

namespace {

constexpr std::string_view kNamespace = "urn:iso:std:iso:20022:tech:xsd:";
constexpr std::string_view kRecallMessage = "camt.056.001.09";
constexpr std::string_view kAnswerMessage = "camt.029.001.10";
constexpr int64_t kMaxMessageBytes = 1 << 20;  // one recall or answer is a few KiB

// ---- checks of what is written ----

size_t Characters(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

Status CheckText(std::string_view field, std::string_view value, size_t max, bool required) {
  const std::string f(field);
  if (value.empty())
    return required ? Status::Invalid(f + ": missing").WithZh(f + ": 缺失") : Status::Ok();
  if (!IsValidUtf8(value))
    return Status::Invalid(f + ": not UTF-8").WithZh(f + ": 不是有效的 UTF-8 文本");
  size_t n = Characters(value);
  if (n > max)
    return Status::Invalid(f + ": " + std::to_string(n) + " characters, at most " +
                           std::to_string(max))
        .WithZh(f + ": 有 " + std::to_string(n) + " 个字符，最多 " + std::to_string(max) + " 个");
  for (unsigned char c : value)
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
      return Status::Invalid(f + ": contains a control character").WithZh(f + ": 含有控制字符");
  return Status::Ok();
}

bool IsBic(std::string_view bic) {
  if (bic.size() != 8 && bic.size() != 11) return false;
  for (size_t i = 0; i < bic.size(); ++i) {
    char c = bic[i];
    bool letter = c >= 'A' && c <= 'Z', digit = c >= '0' && c <= '9';
    if (i >= 4 && i < 6 ? !letter : !(letter || digit)) return false;
  }
  return true;
}

bool IsUuidV4(std::string_view u) {
  if (u.size() != 36) return false;
  for (size_t i = 0; i < 36; ++i) {
    char c = u[i];
    bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!hex) {
      return false;
    }
  }
  return u[14] == '4' && (u[19] == '8' || u[19] == '9' || u[19] == 'a' || u[19] == 'b');
}

// IBAN2007Identifier: two letters, two digits, up to 30 letters or digits.
bool LooksLikeIban(std::string_view a) {
  if (a.size() < 5 || a.size() > 34) return false;
  auto letter = [](char c) { return c >= 'A' && c <= 'Z'; };
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (!letter(a[0]) || !letter(a[1]) || !digit(a[2]) || !digit(a[3])) return false;
  for (char c : a.substr(4))
    if (!letter(c) && !digit(c) && !(c >= 'a' && c <= 'z')) return false;
  return true;
}

Status CheckParty(std::string_view field, const Party& p) {
  if (p.name.empty() && p.bic.empty())
    return Status::Invalid(std::string(field) + ": a name or a BIC is needed")
        .WithZh(std::string(field) + ": 须填写名称或 BIC");
  if (!p.bic.empty() && !IsBic(p.bic))
    return Status::Invalid(std::string(field) + ".bic: '" + p.bic +
                           "' is not a BIC (8 or 11 letters and digits)")
        .WithZh(std::string(field) + ".bic: '" + p.bic + "' 不是 BIC（8 或 11 位字母和数字）");
  FANZHA_RETURN_IF_ERROR(CheckText(std::string(field) + ".name", p.name, 140, false));
  return CheckText(std::string(field) + ".id", p.id, 35, false);
}

Status CheckRequest(const RecallRequest& r) {
  FANZHA_RETURN_IF_ERROR(CheckText("id", r.id, 35, true));
  FANZHA_RETURN_IF_ERROR(CheckText("case_id", r.case_id, 35, true));
  FANZHA_RETURN_IF_ERROR(CheckParty("requester", r.requester));
  FANZHA_RETURN_IF_ERROR(CheckParty("bank", r.bank));
  FANZHA_RETURN_IF_ERROR(CheckText("original_message_id", r.original_message_id, 35, false));
  FANZHA_RETURN_IF_ERROR(CheckText("original_message_name", r.original_message_name, 35,
                                   !r.original_message_id.empty()));
  FANZHA_RETURN_IF_ERROR(
      CheckText("original_instruction_id", r.original_instruction_id, 35, false));
  FANZHA_RETURN_IF_ERROR(CheckText("original_end_to_end_id", r.original_end_to_end_id, 35, false));
  FANZHA_RETURN_IF_ERROR(CheckText("original_tx_id", r.original_tx_id, 35, false));
  if (!r.original_uetr.empty() && !IsUuidV4(r.original_uetr))
    return Status::Invalid("original_uetr: '" + r.original_uetr + "' is not a UUIDv4 in lower case")
        .WithZh("original_uetr: '" + r.original_uetr + "' 不是小写的 UUIDv4");
  if (r.original_instruction_id.empty() && r.original_end_to_end_id.empty() &&
      r.original_tx_id.empty() && r.original_uetr.empty())
    return Status::Invalid(
               "original ids: none given (instruction, end-to-end, transaction id or "
               "UETR): the bank could not find the payment")
        .WithZh(
            "original ids: 一个也没有（指令编号、端到端编号、交易编号或 UETR）：银行将无法找到这笔"
            "支付");
  if (r.amount <= 0)
    return Status::Invalid("amount: must be more than 0").WithZh("amount: 须大于 0");
  if (!IsCurrencyCode(r.currency))
    return Status::Invalid("currency: '" + r.currency + "' is not an ISO 4217 code")
        .WithZh("currency: '" + r.currency + "' 不是 ISO 4217 币种代码");
  if (r.settled_at == 0) return Status::Invalid("settled_at: missing").WithZh("settled_at: 缺失");
  FANZHA_RETURN_IF_ERROR(CheckText("debtor_name", r.debtor_name, 140, false));
  FANZHA_RETURN_IF_ERROR(CheckText("creditor_name", r.creditor_name, 140, false));
  FANZHA_RETURN_IF_ERROR(CheckText("debtor_account", r.debtor_account, 34, false));
  FANZHA_RETURN_IF_ERROR(CheckText("creditor_account", r.creditor_account, 34, false));
  FANZHA_RETURN_IF_ERROR(CheckText("reason", r.reason, 4, true));
  for (size_t i = 0; i < r.additional_info.size(); ++i)
    FANZHA_RETURN_IF_ERROR(
        CheckText("additional_info[" + std::to_string(i) + "]", r.additional_info[i], 105, false));
  return Status::Ok();
}

// ---- writing ----

// xmlTextWriter into memory; the first failure is kept and reported by Finish().
class Writer {
 public:
  Writer() : buffer_(xmlBufferCreate()) {
    if (buffer_) writer_ = xmlNewTextWriterMemory(buffer_, 0);
    if (!writer_) {
      ok_ = false;
      return;
    }
    xmlTextWriterSetIndent(writer_, 1);
    xmlTextWriterSetIndentString(writer_, BAD_CAST "  ");
    Check(xmlTextWriterStartDocument(writer_, "1.0", "UTF-8", nullptr));
  }
  ~Writer() {
    if (writer_) xmlFreeTextWriter(writer_);
    if (buffer_) xmlBufferFree(buffer_);
  }
  void Start(const char* name) { Check(xmlTextWriterStartElement(writer_, BAD_CAST name)); }
  void End() { Check(xmlTextWriterEndElement(writer_)); }
  void Attribute(const char* name, std::string_view value) {
    Check(xmlTextWriterWriteAttribute(writer_, BAD_CAST name, BAD_CAST std::string(value).c_str()));
  }
  // <name>value</name>, escaped; nothing when value is empty.
  void Element(const char* name, std::string_view value) {
    if (value.empty()) return;
    Check(xmlTextWriterWriteElement(writer_, BAD_CAST name, BAD_CAST std::string(value).c_str()));
  }
  void Amount(const char* name, Fen amount, std::string_view currency) {
    Start(name);
    Attribute("Ccy", currency);
    Check(xmlTextWriterWriteString(writer_, BAD_CAST FormatAmount(amount).c_str()));
    End();
  }
  Result<std::string> Finish() {
    if (ok_) Check(xmlTextWriterEndDocument(writer_));
    if (writer_) xmlFreeTextWriter(writer_);  // flushes into the buffer
    writer_ = nullptr;
    if (!ok_) return Status::Internal("the XML writer failed");
    return std::string(reinterpret_cast<const char*>(xmlBufferContent(buffer_)),
                       static_cast<size_t>(xmlBufferLength(buffer_)));
  }

 private:
  void Check(int rc) { ok_ &= rc >= 0; }
  xmlBufferPtr buffer_ = nullptr;
  xmlTextWriterPtr writer_ = nullptr;
  bool ok_ = true;
};

// Party40Choice: an agent by BIC, else a party by name (and identifier).
void WriteParty(Writer& w, const char* element, const Party& p) {
  w.Start(element);
  if (!p.bic.empty()) {
    w.Start("Agt");
    w.Start("FinInstnId");
    w.Element("BICFI", p.bic);
    w.Element("Nm", p.name);
    w.End();
    w.End();
  } else {
    w.Start("Pty");
    w.Element("Nm", p.name);
    if (!p.id.empty()) {
      w.Start("Id");
      w.Start("OrgId");
      w.Start("Othr");
      w.Element("Id", p.id);
      w.End();
      w.End();
      w.End();
    }
    w.End();
  }
  w.End();
}

void WriteAccount(Writer& w, const char* element, const std::string& account) {
  if (account.empty()) return;
  w.Start(element);
  w.Start("Id");
  if (LooksLikeIban(account)) {
    w.Element("IBAN", account);
  } else {
    w.Start("Othr");
    w.Element("Id", account);
    w.End();
  }
  w.End();
  w.End();
}

void WriteAssignment(Writer& w, const std::string& id, const Party& from, const Party& to,
                     Millis at, Zone zone) {
  w.Start("Assgnmt");
  w.Element("Id", id);
  WriteParty(w, "Assgnr", from);
  WriteParty(w, "Assgne", to);
  w.Element("CreDtTm", FormatTime(at, zone));
  w.End();
}

void WriteCase(Writer& w, const char* element, const RecallRequest& r) {
  w.Start(element);
  w.Element("Id", r.case_id);
  WriteParty(w, "Cretr", r.requester);
  w.End();
}

// The payment's ids, in the order both messages list them.
void WriteOriginalIds(Writer& w, const RecallRequest& r) {
  if (!r.original_message_id.empty()) {
    w.Start("OrgnlGrpInf");
    w.Element("OrgnlMsgId", r.original_message_id);
    w.Element("OrgnlMsgNmId", r.original_message_name);
    w.End();
  }
  w.Element("OrgnlInstrId", r.original_instruction_id);
  w.Element("OrgnlEndToEndId", r.original_end_to_end_id);
  w.Element("OrgnlTxId", r.original_tx_id);
  w.Element("OrgnlUETR", r.original_uetr);
}

// ---- reading ----

// The document element of a `message` ("camt.056") document, expanded; its type name in *type.
Result<const xmlNode*> FindDocument(xml::Reader& r, std::string_view message, std::string_view root,
                                    std::string* type) {
  bool skip = false;  // past an application header
  for (;;) {
    FANZHA_ASSIGN_OR_RETURN(bool more, skip ? r.Skip() : r.Read());
    skip = false;
    if (!more) break;
    if (!r.AtElementStart()) continue;
    std::string_view ns = Trim(r.namespace_uri());
    std::string_view local = r.local_name();
    bool ours = ns.starts_with(kNamespace) && ns.substr(kNamespace.size()).starts_with(message);
    if ((ours && local == "Document") || (ns.empty() && local == root)) {
      *type = ours ? std::string(ns.substr(kNamespace.size())) : std::string(message);
      FANZHA_ASSIGN_OR_RETURN(const xmlNode* node, r.Expand());
      if (local == "Document") node = xml::Child(node, root);
      if (!node) break;
      return node;
    }
    skip = local == "AppHdr";
  }
  return r.Error(r.line(), "not a " + std::string(message) + " (" + std::string(root) + ") message",
                 "不是 " + std::string(message) + "（" + std::string(root) + "）报文");
}

Party ReadParty(const xmlNode* choice) {
  Party p;
  const xmlNode* agent = xml::Child(choice, "Agt");
  if (!agent && xml::Child(choice, "FinInstnId")) agent = choice;  // older: the agent itself
  if (agent) {
    const xmlNode* fi = xml::Child(agent, "FinInstnId");
    p.bic = xml::TextAt(fi, "BICFI");
    if (p.bic.empty()) p.bic = xml::TextAt(fi, "BIC");
    p.name = xml::TextAt(fi, "Nm");
    return p;
  }
  const xmlNode* party = xml::Child(choice, "Pty");
  if (!party) party = choice;  // older: PartyIdentification directly
  p.name = xml::TextAt(party, "Nm");
  p.id = xml::TextAt(party, "Id/OrgId/Othr/Id");
  return p;
}

std::string ReadAccount(const xmlNode* account) {
  const xmlNode* id = xml::Child(account, "Id");
  std::string v = xml::TextAt(id, "IBAN");
  return v.empty() ? xml::TextAt(id, "Othr/Id") : v;
}

// Errors while reading one document: "NAME:LINE: PATH: what".
class DocumentErrors {
 public:
  DocumentErrors(const xml::Reader& r, const xmlNode* top, std::string top_path)
      : r_(r), top_(top), top_path_(std::move(top_path)) {}
  Status Missing(const xmlNode* parent, std::string_view what) const {
    std::string below = xml::PathBelow(top_, parent);
    const std::string path =
        top_path_ + (below.empty() ? "" : "/" + below) + "/" + std::string(what);
    return r_.Error(xml::Line(parent), path + ": missing", path + "：缺失");
  }
  Status Bad(const xmlNode* node, const std::string& what, const std::string& zh) const {
    std::string below = xml::PathBelow(top_, node);
    const std::string path = top_path_ + (below.empty() ? "" : "/" + below);
    return r_.Error(xml::Line(node), path + ": " + what, path + "：" + zh);
  }
  // The same for a value that did not parse: its own reason, in both languages.
  Status Bad(const xmlNode* node, const Status& why) const {
    return Bad(node, why.message(), why.zh());
  }

 private:
  const xml::Reader& r_;
  const xmlNode* top_;
  std::string top_path_;
};

Result<Millis> TimeAt(const DocumentErrors& errors, const xmlNode* node, Zone zone) {
  Result<Millis> t = ParseIsoTime(xml::Text(node), zone);
  if (!t.ok()) return errors.Bad(node, t.status());
  return *t;
}

RecallOutcome OutcomeOf(std::string_view code) {
  if (code == "CNCL" || code == "ACCR") return RecallOutcome::kCancelled;
  if (code == "RJCR") return RecallOutcome::kRejected;
  return RecallOutcome::kPending;
}

// CxlStsRsnInf (Rsn/Cd since version 3, CxlStsRsn/Cd before): the first reason and its texts.
void ReadReason(const xmlNode* holder, RecallAnswer* a) {
  xml::ForEachChild(holder, "CxlStsRsnInf", [&](const xmlNode* info) {
    if (a->reason_code.empty()) {
      for (std::string_view path : {"Rsn/Cd", "Rsn/Prtry", "CxlStsRsn/Cd", "CxlStsRsn/Prtry"}) {
        a->reason_code = xml::TextAt(info, path);
        if (!a->reason_code.empty()) break;
      }
    }
    xml::ForEachChild(info, "AddtlInf", [&](const xmlNode* line) {
      std::string text = xml::Text(line);
      if (text.empty()) return;
      if (!a->reason_text.empty()) a->reason_text.push_back(' ');
      a->reason_text += text;
    });
  });
}

}  // namespace

Result<std::string> WriteRecall(const RecallRequest& r, Zone zone) {
  FANZHA_RETURN_IF_ERROR(CheckRequest(r));
  Writer w;
  w.Start("Document");
  w.Attribute("xmlns", std::string(kNamespace) + std::string(kRecallMessage));
  w.Start("FIToFIPmtCxlReq");
  WriteAssignment(w, r.id, r.requester, r.bank, r.created_at, zone);
  WriteCase(w, "Case", r);
  w.Start("CtrlData");
  w.Element("NbOfTxs", "1");
  w.End();
  w.Start("Undrlyg");
  w.Start("TxInf");
  w.Element("CxlId", r.id);
  WriteOriginalIds(w, r);
  w.Amount("OrgnlIntrBkSttlmAmt", r.amount, r.currency);
  w.Element("OrgnlIntrBkSttlmDt", FormatDate(r.settled_at, zone));
  w.Start("CxlRsnInf");
  if (!r.requester.name.empty()) {
    w.Start("Orgtr");
    w.Element("Nm", r.requester.name);
    w.End();
  }
  w.Start("Rsn");
  w.Element("Cd", r.reason);
  w.End();
  for (const std::string& line : r.additional_info) w.Element("AddtlInf", line);
  w.End();
  bool parties = !r.debtor_name.empty() || !r.debtor_account.empty() || !r.creditor_name.empty() ||
                 !r.creditor_account.empty();
  if (parties) {
    w.Start("OrgnlTxRef");
    if (!r.debtor_name.empty()) WriteParty(w, "Dbtr", Party{r.debtor_name, "", ""});
    WriteAccount(w, "DbtrAcct", r.debtor_account);
    if (!r.creditor_name.empty()) WriteParty(w, "Cdtr", Party{r.creditor_name, "", ""});
    WriteAccount(w, "CdtrAcct", r.creditor_account);
    w.End();
  }
  w.End();  // TxInf
  w.End();  // Undrlyg
  w.End();  // FIToFIPmtCxlReq
  w.End();  // Document
  return w.Finish();
}

Result<RecallRequest> ReadRecall(std::string_view bytes, std::string_view name, Zone zone) {
  FANZHA_ASSIGN_OR_RETURN(auto r,
                          xml::Reader::OpenMemory(bytes, std::string(name), kMaxMessageBytes));
  std::string type;
  FANZHA_ASSIGN_OR_RETURN(const xmlNode* root,
                          FindDocument(*r, "camt.056", "FIToFIPmtCxlReq", &type));
  DocumentErrors errors(*r, root, "Document/FIToFIPmtCxlReq");
  RecallRequest q;
  const xmlNode* assignment = xml::Child(root, "Assgnmt");
  if (!assignment) return errors.Missing(root, "Assgnmt");
  q.id = xml::TextAt(assignment, "Id");
  q.requester = ReadParty(xml::Child(assignment, "Assgnr"));
  q.bank = ReadParty(xml::Child(assignment, "Assgne"));
  if (const xmlNode* at = xml::Child(assignment, "CreDtTm")) {
    FANZHA_ASSIGN_OR_RETURN(q.created_at, TimeAt(errors, at, zone));
  }
  q.case_id = xml::TextAt(root, "Case/Id");
  const xmlNode* underlying = xml::Child(root, "Undrlyg");
  if (!underlying) return errors.Missing(root, "Undrlyg");
  const xmlNode* tx = xml::Child(underlying, "TxInf");
  if (!tx) return errors.Missing(underlying, "TxInf");
  if (std::string cxl = xml::TextAt(tx, "CxlId"); !cxl.empty() && q.id.empty()) q.id = cxl;
  if (q.case_id.empty()) q.case_id = xml::TextAt(tx, "Case/Id");
  q.original_message_id = xml::TextAt(tx, "OrgnlGrpInf/OrgnlMsgId");
  q.original_message_name = xml::TextAt(tx, "OrgnlGrpInf/OrgnlMsgNmId");
  q.original_instruction_id = xml::TextAt(tx, "OrgnlInstrId");
  q.original_end_to_end_id = xml::TextAt(tx, "OrgnlEndToEndId");
  q.original_tx_id = xml::TextAt(tx, "OrgnlTxId");
  q.original_uetr = xml::TextAt(tx, "OrgnlUETR");
  const xmlNode* amount = xml::Child(tx, "OrgnlIntrBkSttlmAmt");
  if (!amount) return errors.Missing(tx, "OrgnlIntrBkSttlmAmt");
  Result<Fen> fen = ParseAmount(xml::Text(amount));
  if (!fen.ok()) return errors.Bad(amount, fen.status());
  q.amount = *fen;
  q.currency = xml::Attribute(amount, "Ccy");
  if (!IsCurrencyCode(q.currency))
    return errors.Bad(amount, "no ISO 4217 currency (Ccy)", "没有 ISO 4217 币种（Ccy）");
  if (const xmlNode* date = xml::Child(tx, "OrgnlIntrBkSttlmDt")) {
    FANZHA_ASSIGN_OR_RETURN(q.settled_at, TimeAt(errors, date, zone));
  }
  const xmlNode* reason = xml::Child(tx, "CxlRsnInf");
  q.reason = xml::TextAt(reason, "Rsn/Cd");
  if (q.reason.empty()) q.reason = xml::TextAt(reason, "CxlRsn/Cd");  // versions 1 and 2
  xml::ForEachChild(reason, "AddtlInf",
                    [&](const xmlNode* line) { q.additional_info.push_back(xml::Text(line)); });
  const xmlNode* ref = xml::Child(tx, "OrgnlTxRef");
  q.debtor_name = ReadParty(xml::Child(ref, "Dbtr")).name;
  q.debtor_account = ReadAccount(xml::Child(ref, "DbtrAcct"));
  q.creditor_name = ReadParty(xml::Child(ref, "Cdtr")).name;
  q.creditor_account = ReadAccount(xml::Child(ref, "CdtrAcct"));
  if (q.id.empty()) return errors.Missing(assignment, "Id");
  return q;
}

Result<std::vector<RecallAnswer>> ReadRecallAnswers(std::string_view bytes, std::string_view name,
                                                    Zone zone) {
  FANZHA_ASSIGN_OR_RETURN(auto r,
                          xml::Reader::OpenMemory(bytes, std::string(name), kMaxMessageBytes));
  std::string type;
  FANZHA_ASSIGN_OR_RETURN(const xmlNode* root,
                          FindDocument(*r, "camt.029", "RsltnOfInvstgtn", &type));
  DocumentErrors errors(*r, root, "Document/RsltnOfInvstgtn");
  RecallAnswer base;
  const xmlNode* assignment = xml::Child(root, "Assgnmt");
  if (!assignment) return errors.Missing(root, "Assgnmt");
  base.answer_id = xml::TextAt(assignment, "Id");
  base.answered_by = ReadParty(xml::Child(assignment, "Assgnr"));
  if (const xmlNode* at = xml::Child(assignment, "CreDtTm")) {
    FANZHA_ASSIGN_OR_RETURN(base.answered_at, TimeAt(errors, at, zone));
  }
  base.case_id = xml::TextAt(root, "RslvdCase/Id");
  std::string confirmation = xml::TextAt(root, "Sts/Conf");

  std::vector<const xmlNode*> txs;
  const xmlNode* group = nullptr;
  xml::ForEachChild(root, "CxlDtls", [&](const xmlNode* details) {
    if (!group) group = xml::Child(details, "OrgnlGrpInfAndSts");
    xml::ForEachChild(details, "TxInfAndSts", [&](const xmlNode* tx) { txs.push_back(tx); });
    xml::ForEachChild(details, "OrgnlPmtInfAndSts", [&](const xmlNode* payment) {
      xml::ForEachChild(payment, "TxInfAndSts", [&](const xmlNode* tx) { txs.push_back(tx); });
    });
  });
  std::string group_status = xml::TextAt(group, "GrpCxlSts");
  if (confirmation.empty() && group_status.empty() && txs.empty())
    return errors.Missing(root, "Sts/Conf");
  base.original_message_id = xml::TextAt(group, "OrgnlMsgId");
  ReadReason(group, &base);

  std::vector<RecallAnswer> out;
  if (txs.empty()) {
    base.status_code = !group_status.empty() ? group_status : confirmation;
    base.outcome = OutcomeOf(base.status_code);
    out.push_back(base);
    return out;
  }
  for (const xmlNode* tx : txs) {
    RecallAnswer a = base;
    a.reason_code.clear();
    a.reason_text.clear();
    std::string status = xml::TextAt(tx, "TxCxlSts");
    a.status_code = !status.empty() ? status : !group_status.empty() ? group_status : confirmation;
    if (a.status_code.empty()) return errors.Missing(tx, "TxCxlSts");
    a.outcome = OutcomeOf(a.status_code);
    ReadReason(tx, &a);
    if (a.reason_code.empty() && a.reason_text.empty()) {
      a.reason_code = base.reason_code;
      a.reason_text = base.reason_text;
    }
    if (std::string id = xml::TextAt(tx, "OrgnlGrpInf/OrgnlMsgId"); !id.empty())
      a.original_message_id = id;
    a.original_instruction_id = xml::TextAt(tx, "OrgnlInstrId");
    a.original_end_to_end_id = xml::TextAt(tx, "OrgnlEndToEndId");
    a.original_tx_id = xml::TextAt(tx, "OrgnlTxId");
    a.original_uetr = xml::TextAt(tx, "OrgnlUETR");
    if (a.original_uetr.empty()) a.original_uetr = xml::TextAt(tx, "UETR");
    if (std::string c = xml::TextAt(tx, "RslvdCase/Id"); !c.empty()) a.case_id = c;
    if (const xmlNode* amount = xml::Child(tx, "OrgnlIntrBkSttlmAmt")) {
      Result<Fen> fen = ParseAmount(xml::Text(amount));
      if (!fen.ok()) return errors.Bad(amount, fen.status());
      a.original_amount = *fen;
      a.original_currency = xml::Attribute(amount, "Ccy");
    }
    out.push_back(std::move(a));
  }
  return out;
}

Result<std::string> WriteRecallAnswer(const RecallRequest& r, const RecallAnswer& a, Zone zone) {
  FANZHA_RETURN_IF_ERROR(CheckRequest(r));
  FANZHA_RETURN_IF_ERROR(CheckText("answer_id", a.answer_id, 35, true));
  FANZHA_RETURN_IF_ERROR(CheckParty("answered_by", a.answered_by));
  if (a.outcome == RecallOutcome::kRejected && a.reason_code.empty())
    return Status::Invalid(
               "reason_code: a rejection needs its reason (LEGL, CUST, NOAS, AC04, ...)")
        .WithZh("reason_code: 拒绝须写明原因代码（LEGL、CUST、NOAS、AC04 等）");
  FANZHA_RETURN_IF_ERROR(CheckText("reason_code", a.reason_code, 4, false));
  FANZHA_RETURN_IF_ERROR(CheckText("reason_text", a.reason_text, 105, false));
  std::string conf = a.status_code;
  if (conf.empty())
    conf = a.outcome == RecallOutcome::kCancelled  ? "CNCL"
           : a.outcome == RecallOutcome::kRejected ? "RJCR"
                                                   : "PDCR";
  FANZHA_RETURN_IF_ERROR(CheckText("status_code", conf, 4, true));
  // The transaction's own status has three values in this version.
  std::string_view tx_status = a.outcome == RecallOutcome::kCancelled  ? "ACCR"
                               : a.outcome == RecallOutcome::kRejected ? "RJCR"
                                                                       : "PDCR";
  Writer w;
  w.Start("Document");
  w.Attribute("xmlns", std::string(kNamespace) + std::string(kAnswerMessage));
  w.Start("RsltnOfInvstgtn");
  WriteAssignment(w, a.answer_id, a.answered_by, r.requester, a.answered_at, zone);
  WriteCase(w, "RslvdCase", r);
  w.Start("Sts");
  w.Element("Conf", conf);
  w.End();
  w.Start("CxlDtls");
  w.Start("TxInfAndSts");
  w.Element("CxlStsId", a.answer_id);
  WriteOriginalIds(w, r);
  w.Element("TxCxlSts", tx_status);
  if (!a.reason_code.empty() || !a.reason_text.empty()) {
    w.Start("CxlStsRsnInf");
    if (!a.reason_code.empty()) {
      w.Start("Rsn");
      w.Element("Cd", a.reason_code);
      w.End();
    }
    w.Element("AddtlInf", a.reason_text);
    w.End();
  }
  w.Amount("OrgnlIntrBkSttlmAmt", r.amount, r.currency);
  w.Element("OrgnlIntrBkSttlmDt", FormatDate(r.settled_at, zone));
  w.End();  // TxInfAndSts
  w.End();  // CxlDtls
  w.End();  // RsltnOfInvstgtn
  w.End();  // Document
  return w.Finish();
}

}  // namespace fanzha::iso20022
