// The bank's desk: one request against the bank's own records (bank.h).
#include <algorithm>

#include "bank/bank.h"
#include "core/csv.h"
#include "core/text.h"
#include "freeze/orders.h"
#include "normalise/normalise.h"

namespace fanzha::bank {
namespace {

using interchange::Answer;
using interchange::AnswerStatus;
using interchange::Kind;
using interchange::Request;

constexpr std::string_view kHoldColumns =
    "order_ref, request_id, kind, account, case_id, document, amount, executed_at, deadline_at, "
    "renewals, released_at, released_by";

Hold ReadHold(const store::SqlStatement& s) {
  Hold h;
  h.order = s.ColumnString(0);
  h.request = s.ColumnString(1);
  h.kind = s.ColumnString(2);
  h.account = s.ColumnString(3);
  h.case_id = s.ColumnString(4);
  h.document = s.ColumnString(5);
  h.amount = s.ColumnInt64(6);
  h.executed_at = s.ColumnInt64(7);
  h.deadline = s.ColumnInt64(8);
  h.renewals = static_cast<int>(s.ColumnInt64(9));
  h.released_at = s.ColumnInt64(10);
  h.released_by = s.ColumnString(11);
  return h;
}

Result<std::optional<Hold>> FindHold(store::SqlDatabase& db, const std::string& order) {
  FANZHA_ASSIGN_OR_RETURN(auto st, db.Prepare("SELECT " + std::string(kHoldColumns) +
                                              " FROM bank_holds WHERE order_ref = ?"));
  st->Bind(1, order);
  FANZHA_ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) return std::optional<Hold>();
  return std::optional<Hold>(ReadHold(*st));
}

Status InsertHold(store::SqlDatabase& db, const Hold& h) {
  FANZHA_ASSIGN_OR_RETURN(auto st,
                          db.Prepare("INSERT INTO bank_holds (" + std::string(kHoldColumns) +
                                     ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  st->Bind(1, h.order).Bind(2, h.request).Bind(3, h.kind).Bind(4, h.account).Bind(5, h.case_id);
  st->Bind(6, h.document).Bind(7, h.amount).Bind(8, h.executed_at).Bind(9, h.deadline);
  st->Bind(10, h.renewals).Bind(11, h.released_at).Bind(12, h.released_by);
  return st->Run();
}

// Names compared as people write them: no spaces, full-width forms folded.
std::string NameKey(std::string_view name) {
  std::string folded = FoldAsciiWidth(name);
  std::string out;
  for (char c : folded) {
    if (c != ' ' && c != '\t') out += c;
  }
  return out;
}

Answer Executed(const Request& r, const std::string& institution, Fen amount, Millis at,
                Millis deadline, int renewals) {
  Answer a;
  a.id = interchange::FinalAnswerId(r.id);
  a.request = r.id;
  a.kind = r.kind;
  a.institution = institution;
  a.status = AnswerStatus::kExecuted;
  a.answered_at = at;
  a.amount = amount;
  a.at = at;
  a.deadline = deadline;
  a.renewals = renewals;
  return a;
}

std::string Facts(const std::vector<std::string>& facts) {
  std::string out;
  for (const auto& f : facts) out += (out.empty() ? "" : ", ") + f;
  return out;
}

std::string FactsZh(const std::vector<std::string>& facts) {
  std::string out;
  for (const auto& f : facts) {
    std::string zh = f == "account_name"     ? "户名"
                     : f == "account_number" ? "账号"
                     : f == "payment_amount" ? "转账金额"
                     : f == "payment_time"   ? "转账时间"
                                             : f;
    out += (out.empty() ? "" : "、") + zh;
  }
  return out;
}

// The bank's "no" to `r`, saying why in both languages.
Answer Refuse(const Request& r, const std::string& institution, std::string code,
              std::vector<std::string> facts, std::string message, std::string zh, Millis now) {
  return interchange::Rejection(r.id, r.kind, institution, std::move(code), std::move(facts),
                                std::move(message), std::move(zh), now);
}

freeze::OrderKind OrderKindOf(std::string_view kind) {
  return kind == "stop_payment" ? freeze::OrderKind::kStopPayment : freeze::OrderKind::kFreeze;
}

}  // namespace

nlohmann::ordered_json ToJson(const Hold& h, Millis now) {
  std::string state = h.kind == "release" ? "release"
                      : h.released_at     ? "released"
                      : h.deadline <= now ? "lapsed"
                                          : "in_force";
  return {{"order", h.order},
          {"request", h.request},
          {"kind", h.kind},
          {"account", h.account},
          {"case", h.case_id},
          {"document", h.document},
          {"amount", FormatMoney(h.amount)},
          {"executed_at", FormatTime(h.executed_at)},
          {"deadline",
           h.deadline ? nlohmann::ordered_json(FormatTime(h.deadline)) : nlohmann::ordered_json()},
          {"renewals", h.renewals},
          {"state", state},
          {"released_at", h.released_at ? nlohmann::ordered_json(FormatTime(h.released_at))
                                        : nlohmann::ordered_json()},
          {"released_by", h.released_by}};
}

Result<std::unique_ptr<Desk>> Desk::Open(store::Store& store, std::string institution,
                                         const Clock& clock) {
  FANZHA_ASSIGN_OR_RETURN(std::string token, interchange::InstitutionToken(institution));
  std::unique_ptr<Desk> desk(new Desk(store, std::move(institution), std::move(token), clock));
  FANZHA_RETURN_IF_ERROR(desk->Refresh());
  return desk;
}

Status Desk::Refresh() {
  FANZHA_ASSIGN_OR_RETURN(int64_t count, store_.CountTransfers());
  if (ledger_ && count == ledger_transfers_) return Status::Ok();
  FANZHA_ASSIGN_OR_RETURN(ledger_, ledger::Ledger::Load(store_));
  ledger_transfers_ = count;
  // What a statement row shows beside the ledger's figures, read once here: a point lookup of
  // each row's counterparty and memo made a 5,000-row statement cost a third of a second.
  holders_.assign(ledger_->account_count(), std::string());
  FANZHA_RETURN_IF_ERROR(store_.ForEachAccount([&](const Account& a) {
    if (std::optional<ledger::AccountIndex> i = ledger_->FindAccount(a.id)) holders_[*i] = a.holder;
  }));
  memos_.clear();
  return store_.ForEachTransfer([&](const Transfer& t) {
    if (t.memo.empty()) return;
    if (std::optional<ledger::TransferIndex> i = ledger_->FindTransfer(t.id)) memos_[*i] = t.memo;
  });
}

Result<Handled> Desk::Handle(std::string_view msg_id, uint64_t sequence, std::string_view bytes,
                             Millis received_at) {
  Millis now = clock_.Now();
  store::SqlDatabase& db = store_.sql();
  Result<Request> parsed = interchange::ParseRequest(bytes);
  interchange::Envelope envelope = parsed.ok() ? interchange::Envelope{parsed->id, parsed->kind}
                                               : interchange::EnvelopeOf(bytes);
  std::string id = envelope.id;
  if (id.empty() && !msg_id.empty() && msg_id.size() <= interchange::kMaxIdBytes &&
      IsValidUtf8(msg_id)) {
    id = std::string(msg_id);
  }
  if (id.empty()) id = "seq:" + std::to_string(sequence);
  Kind kind = envelope.kind.value_or(Kind::kStopPayment);

  FANZHA_ASSIGN_OR_RETURN(auto tx, store::SqlTransaction::Begin(&db));
  {
    FANZHA_ASSIGN_OR_RETURN(auto seen,
                            db.Prepare("SELECT answer, status FROM bank_requests WHERE id = ?"));
    seen->Bind(1, id);
    FANZHA_ASSIGN_OR_RETURN(bool row, seen->Step());
    if (row) {
      Handled h;
      h.request = id;
      h.answer_id = interchange::FinalAnswerId(id);
      h.answer = seen->ColumnString(0);
      h.status =
          seen->ColumnText(1) == "executed" ? AnswerStatus::kExecuted : AnswerStatus::kRejected;
      h.repeated = true;
      return h;
    }
  }
  auto reject = [&](std::string code, std::string message, std::string zh) {
    return interchange::Rejection(id, kind, institution_, std::move(code), {}, std::move(message),
                                  std::move(zh), now);
  };
  Answer answer;
  if (!parsed.ok()) {
    bool too_large = parsed.status().code() == ErrorCode::kTooLarge;
    answer = reject(
        too_large ? "too_large" : "malformed", parsed.status().message(),
        too_large ? "请求超出 65536 字节上限，未予受理" : "请求格式错误：" + parsed.status().zh());
  } else if (!msg_id.empty() && msg_id != parsed->id) {
    answer = reject("malformed", "id: '" + parsed->id + "' differs from the Nats-Msg-Id header",
                    "请求 id 与消息头 Nats-Msg-Id 不一致");
  } else if (parsed->version > interchange::kVersion) {
    answer = reject("unsupported_version",
                    "interchange version " + std::to_string(parsed->version) +
                        ": this bank speaks version " + std::to_string(interchange::kVersion),
                    "接口版本 " + std::to_string(parsed->version) + " 不受支持（本行支持版本 " +
                        std::to_string(interchange::kVersion) + "）");
  } else if (parsed->institution != institution_) {
    answer = reject(
        "wrong_institution",
        "the request is addressed to '" + parsed->institution + "', this is '" + institution_ + "'",
        "该请求发往“" + parsed->institution + "”，本机构为“" + institution_ + "”");
  } else {
    FANZHA_RETURN_IF_ERROR(Refresh());
    FANZHA_ASSIGN_OR_RETURN(answer, Act(*parsed, now));
  }
  answer.bank_ms = std::max<int64_t>(0, clock_.Now() - received_at);
  Handled h;
  h.request = id;
  h.answer_id = answer.id;
  h.answer = interchange::ToJson(answer);
  h.status = answer.status;
  FANZHA_ASSIGN_OR_RETURN(auto insert,
                          db.Prepare("INSERT INTO bank_requests (id, kind, order_ref, "
                                     "received_at, answered_at, status, answer) VALUES "
                                     "(?, ?, ?, ?, ?, ?, ?)"));
  insert->Bind(1, id).Bind(2, interchange::Name(kind)).Bind(3, parsed.ok() ? parsed->ref : "");
  insert->Bind(4, received_at)
      .Bind(5, now)
      .Bind(6, interchange::Name(answer.status))
      .Bind(7, h.answer);
  FANZHA_RETURN_IF_ERROR(insert->Run());
  FANZHA_RETURN_IF_ERROR(tx.Commit());
  return h;
}

Result<Answer> Desk::Act(const Request& r, Millis now) {
  switch (r.kind) {
    case Kind::kStopPayment:
    case Kind::kFreeze:
      return StopOrFreeze(r, now);
    case Kind::kRenewal:
      return Renew(r, now);
    case Kind::kRelease:
      return Release(r, now);
    case Kind::kStatement:
      return Statement(r, now);
  }
  return Status::Internal("unknown kind");
}

Result<Fen> Desk::Available(ledger::AccountIndex a, const std::string& account, Millis now) {
  Fen balance = ledger_->BalanceBefore(a, ledger_->LowerBound(now + 1));
  FANZHA_ASSIGN_OR_RETURN(
      auto st,
      store_.sql().Prepare("SELECT COALESCE(SUM(amount), 0) FROM bank_holds WHERE account = ? "
                           "AND kind <> 'release' AND released_at = 0 AND deadline_at > ?"));
  st->Bind(1, account).Bind(2, now);
  FANZHA_ASSIGN_OR_RETURN(bool row, st->Step());
  Fen held = row ? st->ColumnInt64(0) : 0;
  return std::max<Fen>(0, balance - held);
}

Result<Answer> Desk::StopOrFreeze(const Request& r, Millis now) {
  store::SqlDatabase& db = store_.sql();
  auto reject = [&](std::string code, std::vector<std::string> facts, std::string message,
                    std::string zh) {
    return Refuse(r, institution_, std::move(code), std::move(facts), std::move(message),
                  std::move(zh), now);
  };
  FANZHA_ASSIGN_OR_RETURN(std::optional<Hold> earlier, FindHold(db, r.ref));
  if (earlier) {
    return reject("duplicate_order", {},
                  "order " + r.ref + " was acted on by request " + earlier->request,
                  "指令 " + r.ref + " 已由请求 " + earlier->request + " 办理，本请求未重复执行");
  }
  std::string number = normalise::NormaliseAccount(r.account.number);
  FANZHA_ASSIGN_OR_RETURN(std::optional<Account> account, store_.GetAccount(number));
  std::optional<ledger::AccountIndex> index = ledger_->FindAccount(number);
  if (!account || account->institution != institution_ || !index) {
    return reject("unknown_account", {"account_number"},
                  "account " + number + " is not held at " + institution_,
                  "本行（" + institution_ + "）无账号 " + number);
  }
  std::vector<std::string> mismatched;
  if (!r.account.name.empty() && NameKey(r.account.name) != NameKey(account->holder)) {
    mismatched.push_back("account_name");
  }
  if (r.payment) {
    bool matched = false, amount_elsewhen = false, credit_then = false;
    for (const ledger::TransferIndex* t = ledger_->adjacency_begin(*index);
         t != ledger_->adjacency_end(*index); ++t) {
      if (ledger_->to(*t) != *index) continue;
      bool near =
          std::llabs(ledger_->time(*t) - r.payment->time) <= interchange::kPaymentTimeTolerance;
      bool same = ledger_->amount(*t) == r.payment->amount;
      matched |= near && same;
      amount_elsewhen |= same;
      credit_then |= near;
    }
    if (!matched) {
      if (!amount_elsewhen) mismatched.push_back("payment_amount");
      if (!credit_then || amount_elsewhen) mismatched.push_back("payment_time");
    }
  }
  if (!mismatched.empty()) {
    return reject("facts_mismatch", mismatched,
                  "the request's " + Facts(mismatched) +
                      " do not match the bank's records of account " + number +
                      ": nothing was stopped",
                  "账户 " + number + " 的" + FactsZh(mismatched) + "与本行记录不符，未予止付/冻结");
  }
  FANZHA_ASSIGN_OR_RETURN(Fen available, Available(*index, number, now));
  freeze::OrderKind kind =
      r.kind == Kind::kStopPayment ? freeze::OrderKind::kStopPayment : freeze::OrderKind::kFreeze;
  Hold h;
  h.order = r.ref;
  h.request = r.id;
  h.kind = std::string(interchange::Name(r.kind));
  h.account = number;
  h.case_id = r.case_id;
  h.document = r.document;
  // A stop-payment stops the whole account; a freeze holds at most what was asked for.
  h.amount = kind == freeze::OrderKind::kStopPayment ? available : std::min(available, r.amount);
  h.executed_at = now;
  h.deadline = freeze::TermEnd(kind, now);
  FANZHA_RETURN_IF_ERROR(InsertHold(db, h));
  return Executed(r, institution_, h.amount, now, h.deadline, 0);
}

Result<Answer> Desk::Renew(const Request& r, Millis now) {
  store::SqlDatabase& db = store_.sql();
  auto reject = [&](std::string code, std::string message, std::string zh) {
    return Refuse(r, institution_, std::move(code), {}, std::move(message), std::move(zh), now);
  };
  FANZHA_ASSIGN_OR_RETURN(std::optional<Hold> h, FindHold(db, r.ref));
  if (!h || h->kind == "release") {
    return reject("unknown_order", "this bank holds nothing for order " + r.ref,
                  "本行无指令 " + r.ref + " 的止付/冻结记录");
  }
  if (h->released_at) {
    return reject("not_held", "order " + r.ref + " was released at " + FormatTime(h->released_at),
                  "指令 " + r.ref + " 已于 " + FormatTime(h->released_at) + " 解除");
  }
  if (h->deadline <= now) {
    return reject(
        "deadline_passed",
        "order " + r.ref + " lapsed at " + FormatTime(h->deadline) +
            ": a renewal must come before it",
        "指令 " + r.ref + " 已于 " + FormatTime(h->deadline) + " 到期失效，续期须在期满前提出");
  }
  freeze::OrderKind kind = OrderKindOf(h->kind);
  if (kind == freeze::OrderKind::kStopPayment && h->renewals >= freeze::kStopPaymentRenewals) {
    return reject("renewals_exhausted",
                  "a stop-payment is renewed at most twice (order " + r.ref + ")",
                  "止付最多续期两次（指令 " + r.ref + "）");
  }
  h->deadline = freeze::TermEnd(kind, h->deadline);
  ++h->renewals;
  FANZHA_ASSIGN_OR_RETURN(
      auto st,
      db.Prepare("UPDATE bank_holds SET deadline_at = ?, renewals = ? WHERE order_ref = ?"));
  st->Bind(1, h->deadline).Bind(2, h->renewals).Bind(3, h->order);
  FANZHA_RETURN_IF_ERROR(st->Run());
  return Executed(r, institution_, h->amount, now, h->deadline, h->renewals);
}

Result<Answer> Desk::Release(const Request& r, Millis now) {
  store::SqlDatabase& db = store_.sql();
  auto reject = [&](std::string code, std::string message, std::string zh) {
    return Refuse(r, institution_, std::move(code), {}, std::move(message), std::move(zh), now);
  };
  FANZHA_ASSIGN_OR_RETURN(std::optional<Hold> earlier, FindHold(db, r.ref));
  if (earlier) {
    return reject("duplicate_order",
                  "order " + r.ref + " was acted on by request " + earlier->request,
                  "指令 " + r.ref + " 已由请求 " + earlier->request + " 办理");
  }
  FANZHA_ASSIGN_OR_RETURN(std::optional<Hold> target, FindHold(db, r.releases));
  if (!target || target->kind == "release") {
    return reject("unknown_order", "this bank holds nothing for order " + r.releases,
                  "本行无指令 " + r.releases + " 的止付/冻结记录");
  }
  if (target->released_at) {
    return reject("not_held",
                  "order " + r.releases + " was released at " + FormatTime(target->released_at),
                  "指令 " + r.releases + " 已于 " + FormatTime(target->released_at) + " 解除");
  }
  if (target->deadline <= now) {
    return reject("not_held", "order " + r.releases + " lapsed at " + FormatTime(target->deadline),
                  "指令 " + r.releases + " 已于 " + FormatTime(target->deadline) + " 到期失效");
  }
  FANZHA_ASSIGN_OR_RETURN(
      auto st,
      db.Prepare("UPDATE bank_holds SET released_at = ?, released_by = ? WHERE order_ref = ?"));
  st->Bind(1, now).Bind(2, r.ref).Bind(3, target->order);
  FANZHA_RETURN_IF_ERROR(st->Run());
  Hold release;
  release.order = r.ref;
  release.request = r.id;
  release.kind = "release";
  release.account = target->account;
  release.case_id = r.case_id;
  release.document = r.document;
  release.amount = target->amount;
  release.executed_at = now;
  FANZHA_RETURN_IF_ERROR(InsertHold(db, release));
  return Executed(r, institution_, target->amount, now, 0, 0);
}

Result<Answer> Desk::Statement(const Request& r, Millis now) {
  std::string number = normalise::NormaliseAccount(r.account.number);
  FANZHA_ASSIGN_OR_RETURN(std::optional<Account> account, store_.GetAccount(number));
  std::optional<ledger::AccountIndex> index = ledger_->FindAccount(number);
  if (!account || account->institution != institution_ || !index) {
    return Refuse(r, institution_, "unknown_account", {"account_number"},
                  "account " + number + " is not held at " + institution_,
                  "本行（" + institution_ + "）无账号 " + number, now);
  }
  if (!r.account.name.empty() && NameKey(r.account.name) != NameKey(account->holder)) {
    return Refuse(r, institution_, "facts_mismatch", {"account_name"},
                  "the holder of account " + number + " is not '" + r.account.name + "'",
                  "账户 " + number + " 的户名与本行记录不符", now);
  }
  interchange::Statement s;
  s.account = number;
  s.from = r.from;
  s.to = r.to;
  s.opening = ledger_->BalanceBefore(*index, ledger_->LowerBound(r.from));
  AppendCsvRow(&s.csv, {"serial", "time", "account", "direction", "amount", "balance",
                        "counterparty", "counterparty_name", "counterparty_bank", "memo"});
  const ledger::TransferIndex* begin = ledger_->adjacency_begin(*index);
  const ledger::TransferIndex* end = ledger_->adjacency_end(*index);
  const ledger::TransferIndex* t = std::lower_bound(
      begin, end, r.from,
      [&](ledger::TransferIndex x, Millis from) { return ledger_->time(x) < from; });
  for (; t != end && ledger_->time(*t) < r.to; ++t) {
    bool out = ledger_->from(*t) == *index;
    ledger::AccountIndex other = out ? ledger_->to(*t) : ledger_->from(*t);
    std::string counterparty =
        other == ledger::kNoAccount ? "" : std::string(ledger_->account_id(other));
    std::string name = other == ledger::kNoAccount ? "" : holders_[other];
    std::string bank = other == ledger::kNoAccount ? "" : ledger_->institution(other), memo;
    if (auto m = memos_.find(*t); m != memos_.end()) memo = m->second;
    std::string row;
    AppendCsvRow(&row, {std::string(ledger_->transfer_id(*t)), FormatTime(ledger_->time(*t)),
                        number, out ? "out" : "in", FormatMoney(ledger_->amount(*t)),
                        FormatMoney(ledger_->BalanceBefore(*index, *t + 1)), counterparty, name,
                        bank, memo});
    if (s.rows == statement_rows_ ||
        s.csv.size() + row.size() > interchange::kMaxStatementCsvBytes) {
      s.complete = false;
      s.next_from = ledger_->time(*t);
      break;
    }
    s.csv += row;
    ++s.rows;
  }
  Answer a = Executed(r, institution_, 0, now, 0, 0);
  a.statement = std::move(s);
  return a;
}

Result<std::vector<Hold>> Desk::Holds() {
  FANZHA_ASSIGN_OR_RETURN(auto st,
                          store_.sql().Prepare("SELECT " + std::string(kHoldColumns) +
                                               " FROM bank_holds ORDER BY executed_at, order_ref"));
  return store::ReadRows<Hold>(*st, ReadHold);
}

}  // namespace fanzha::bank
