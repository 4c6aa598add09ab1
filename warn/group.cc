#include "warn/group.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <thread>

#include "warn/event.h"
#include "warn/sms.h"
#include "warn/store_io.h"
#include "warn/watchlist.h"

namespace fanzha::warn {
namespace {

constexpr char kMemberSubject[] = "fanzha.warngroup.member.";
constexpr char kLeaseSubject[] = "fanzha.warngroup.lease.";

std::string Durable(const std::string& partition) { return "warn-" + partition; }

// Calls `fn(line, line_number)` for every line of `fd` (without its newline), to the end.
Status ForEachLine(int fd, const std::string& name,
                   const std::function<Status(std::string_view, int64_t)>& fn) {
  std::string buf;
  std::vector<char> chunk(1 << 20);
  int64_t line_no = 0;
  for (bool end = false; !end;) {
    ssize_t n = ::read(fd, chunk.data(), chunk.size());
    if (n < 0) return Status::Io("cannot read " + name).WithZh("无法读取 " + name);
    end = n == 0;
    buf.append(chunk.data(), static_cast<size_t>(n));
    size_t start = 0;
    for (size_t nl; (nl = buf.find('\n', start)) != std::string::npos; start = nl + 1)
      FANZHA_RETURN_IF_ERROR(fn(std::string_view(buf).substr(start, nl - start), ++line_no));
    buf.erase(0, start);
    if (end && !buf.empty()) FANZHA_RETURN_IF_ERROR(fn(buf, ++line_no));
  }
  return Status::Ok();
}

// Parses one line (or message) into `batch`: kInvalidInput naming the line and the field.
Status ParseOne(EventParser* parser, std::string_view text, int64_t line, EventBatch* batch) {
  batch->Assign(text);
  batch->first_line = line;
  batch->events.clear();
  return parser->Parse(batch, false);
}

// Runs `fn` again while it fails with kIoError, for up to `patience`: a cluster that lost a
// server takes some seconds to move its streams' leaders to the others.
Status Patiently(Millis patience, const std::function<Status()>& fn) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(patience);
  for (;;) {
    Status s = fn();
    if (s.ok() || s.code() != ErrorCode::kIoError || std::chrono::steady_clock::now() >= until)
      return s;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
}

}  // namespace

std::string EventSubject(std::string_view partition) {
  return "fanzha.events." + std::string(partition);
}

Status EnsureGroupStreams(interchange::Connection* nats, int replicas, Millis keep) {
  interchange::StreamSpec events;
  events.name = kEventStream;
  events.subjects = {"fanzha.events.>"};
  events.replicas = replicas;
  events.max_age = keep;
  events.max_msg_size = 64 * 1024;
  events.direct_gets = true;  // a member taking a province over reads it from any copy
  FANZHA_RETURN_IF_ERROR(nats->EnsureStream(events));
  interchange::StreamSpec group;
  group.name = kGroupStream;
  group.subjects = {"fanzha.warngroup.>"};
  group.replicas = replicas;
  group.max_age = 3600 * 1000;  // members long gone and leases nobody renews fall away
  group.max_msgs_per_subject = 1;
  group.max_msg_size = 1024;
  return nats->EnsureStream(group);
}

Result<PublishStats> PublishEvents(int fd, const std::string& name, interchange::Connection* nats,
                                   const AccountRegions* account_regions,
                                   const PublishOptions& options,
                                   const std::function<void(const PublishStats&)>& progress) {
  FANZHA_RETURN_IF_ERROR(Patiently(
      options.patience, [&] { return EnsureGroupStreams(nats, options.replicas, options.keep); }));
  Watchlist empty;  // the router only names people and their regions
  Screener router(&empty, nullptr);
  router.set_account_regions(account_regions);
  EventParser parser;
  EventBatch batch;
  PublishStats stats;
  std::vector<interchange::OutgoingMessage> out;
  std::vector<std::string> people;
  auto flush = [&]() -> Status {
    int64_t duplicates = 0;
    FANZHA_RETURN_IF_ERROR(Patiently(options.patience, [&] {
      int64_t again = 0;  // a batch published again: its first try's messages come back as copies
      Status s = nats->PublishAll(out, 1024, &again);
      duplicates += again;
      return s;
    }));
    stats.messages += static_cast<int64_t>(out.size());
    stats.duplicates += duplicates;
    out.clear();
    if (progress) progress(stats);
    return Status::Ok();
  };
  Status read = ForEachLine(fd, name, [&](std::string_view line, int64_t line_no) -> Status {
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) return Status::Ok();
    Status parsed = ParseOne(&parser, line, line_no, &batch);
    if (!parsed.ok()) return parsed.WithContext(name);
    for (const Event& e : batch.events) {
      ++stats.events;
      router.PeopleOf(e, &people);
      std::set<std::string> partitions;
      for (const std::string& person : people)
        partitions.insert(PartitionOf(router.RegionFor(person)));
      if (partitions.empty()) partitions.insert("000000");  // about no one: still screened, once
      for (const std::string& p : partitions)
        out.push_back({EventSubject(p), std::string(e.id) + "@" + p, std::string(line)});
    }
    return out.size() >= options.batch ? flush() : Status::Ok();
  });
  if (!out.empty()) {
    Status last = flush();
    if (read.ok()) read = last;
  }
  if (!read.ok()) return read;
  return stats;
}

namespace {

// One group member: the provinces it holds, each with its durable consumer and its own Screener.
class Member {
 public:
  Member(interchange::Connection* nats, store::Store* store, const AccountRegions* regions,
         const Clock* clock, const MemberOptions& options, const MemberCallbacks& callbacks)
      : nats_(nats),
        store_(store),
        regions_(regions),
        clock_(clock),
        options_(options),
        callbacks_(callbacks) {
    // Three heartbeats per lease: one lost or late does not cost the member its provinces.
    options_.heartbeat = std::min(options_.heartbeat, std::max<Millis>(options_.lease / 3, 100));
  }

  Result<MemberStats> Run() {
    FANZHA_RETURN_IF_ERROR(LoadList(false));
    Millis next_beat = 0, next_refresh = clock_->Now() + options_.refresh;
    idle_since_ = clock_->Now();
    while (!options_.stop || !options_.stop()) {
      Millis now = clock_->Now();
      if (now >= next_beat) {
        Status beat = Beat();
        if (!beat.ok() && callbacks_.on_heartbeat_failed) callbacks_.on_heartbeat_failed(beat);
        next_beat = now + options_.heartbeat;
      }
      if (now >= next_refresh) {
        FANZHA_RETURN_IF_ERROR(LoadList(true));
        next_refresh = now + options_.refresh;
      }
      bool worked = false;
      for (auto& [name, p] : held_) {
        if (Fenced(p)) continue;
        FANZHA_ASSIGN_OR_RETURN(bool got, Work(p));
        worked |= got;
      }
      if (worked || held_.empty()) idle_since_ = clock_->Now();
      if (!worked) clock_->SleepFor(held_.empty() ? 50 : 5);
      if (options_.stop_when_idle > 0 && clock_->Now() - idle_since_ >= options_.stop_when_idle)
        break;
    }
    Summarise();
    for (auto& [name, p] : held_) (void)Give(p);  // a member stopping hands its provinces on
    return stats_;
  }

 private:
  struct Held {
    std::string partition;
    uint64_t lease = 0;             // the sequence of our lease message
    uint64_t screened_through = 0;  // the last stream sequence screened
    Millis renewed_at = 0;          // when the lease was last renewed (this machine's clock)
    std::unique_ptr<interchange::Consumer> consumer;
    std::unique_ptr<Screener> screener;
  };
  struct Lease {
    std::string owner;
    uint64_t sequence = 0;
    Millis stored_at = 0;
  };

  void Report(const std::string& what) {
    if (callbacks_.on_reject) callbacks_.on_reject(what);
  }

  // Reads the stored watchlist (only what changed, after the first time) and, when it changed,
  // compiles the SMS patterns again for every screener.
  Status LoadList(bool changed_only) {
    int64_t before = list_.version();
    FANZHA_RETURN_IF_ERROR(LoadWatchlist(store_->sql(), &list_, changed_only));
    stats_.list_version = list_.version();
    if (changed_only && list_.version() == before) return Status::Ok();
    FANZHA_ASSIGN_OR_RETURN(auto sms, SmsMatcher::Compile(list_));
    for (auto& [name, p] : held_) p.screener->set_sms(sms.get());
    sms_ = std::move(sms);
    return Status::Ok();
  }

  // Says the member is alive, renews its leases, gives up provinces beyond its share and takes
  // free ones up to it.
  Status Beat() {
    const Millis started = clock_->Now();
    FANZHA_RETURN_IF_ERROR(nats_->Publish(kMemberSubject + options_.name,
                                          options_.name + "@" + std::to_string(++beats_),
                                          options_.name));
    // The first heartbeat only says the member is there: members started together see each other
    // before they share the provinces, rather than handing them over at once.
    if (beats_ == 1) return Status::Ok();
    FANZHA_ASSIGN_OR_RETURN(auto state, nats_->LastMessages(kGroupStream, "fanzha.warngroup.>"));
    Millis now = 0;  // the server's clock: our heartbeat is the newest message
    for (const auto& m : state) now = std::max(now, m.stored_at);
    size_t members = 0;
    std::map<std::string, Lease> leases;
    for (const auto& m : state) {
      if (m.subject.starts_with(kMemberSubject)) {
        if (m.stored_at >= now - options_.lease) ++members;
      } else if (m.subject.starts_with(kLeaseSubject)) {
        leases[m.subject.substr(sizeof(kLeaseSubject) - 1)] = {m.data, m.sequence, m.stored_at};
      }
    }
    const size_t share = (Partitions().size() + members - 1) / std::max<size_t>(members, 1);
    for (auto it = held_.begin(); it != held_.end();) {
      const Lease& l = leases[it->first];
      bool kept = l.owner == options_.name;
      if (kept) {
        auto renewed = nats_->PublishIfLast(kLeaseSubject + it->first, options_.name, l.sequence);
        kept = renewed.ok();
        if (kept) {
          it->second.lease = *renewed;
          it->second.renewed_at = started;
        } else if (renewed.status().code() != ErrorCode::kConflict) {
          return renewed.status();
        }
      }
      if (kept && held_.size() > share) {
        FANZHA_RETURN_IF_ERROR(Give(it->second));
        kept = false;
      }
      if (!kept) {
        Said("-" + it->first);
        ++stats_.released;
        it = held_.erase(it);
      } else {
        ++it;
      }
    }
    for (const std::string& p : Partitions()) {
      // Taking provinces over takes time: the leases held must be renewed before they run out.
      if (held_.size() >= share || clock_->Now() - started > options_.lease / 3) break;
      if (held_.count(p)) continue;
      const Lease& l = leases[p];
      bool free = l.owner.empty() || l.stored_at < now - options_.lease;
      if (!free) continue;
      auto taken = nats_->PublishIfLast(kLeaseSubject + p, options_.name, l.sequence);
      if (!taken.ok()) {
        if (taken.status().code() == ErrorCode::kConflict) continue;  // another took it first
        return taken.status();
      }
      Status took = Take(p, *taken, now, started);
      if (!took.ok()) {
        Held lost;
        lost.partition = p;
        lost.lease = *taken;
        (void)Give(lost);  // for whoever can read it now
        return took;
      }
    }
    return Status::Ok();
  }

  // A province is screened only while its lease is surely ours: renewed within half a lease by
  // this machine's clock, while the others wait a whole lease by the server's before taking it.
  bool Fenced(const Held& p) const { return clock_->Now() - p.renewed_at > options_.lease / 2; }

  // Frees a held province's lease for the next member (its events are all acknowledged).
  Status Give(Held& p) {
    auto freed = nats_->PublishIfLast(kLeaseSubject + p.partition, "", p.lease);
    return freed.ok() || freed.status().code() == ErrorCode::kConflict ? Status::Ok()
                                                                       : freed.status();
  }

  void Said(const std::string& change) {
    if (callbacks_.on_partition) callbacks_.on_partition(change);
  }

  // Takes a province over: a screener of its own; the people's windows rebuilt from the events the
  // durable consumer had acknowledged; the events after those screened in the stream's order (some
  // were fetched by a member that died: they come again later, and are only acknowledged then);
  // then the durable consumer.
  Status Take(const std::string& partition, uint64_t lease, Millis server_now, Millis taken_at) {
    Held p;
    p.partition = partition;
    p.lease = lease;
    p.renewed_at = taken_at;
    p.screener = std::make_unique<Screener>(&list_, sms_.get(), options_.screen);
    p.screener->set_partition(partition);
    p.screener->set_account_regions(regions_);
    auto floor = nats_->AckFloor(kEventStream, Durable(partition));
    if (floor.ok()) {  // screened before: by a member that stopped, or died
      FANZHA_ASSIGN_OR_RETURN(auto last,
                              nats_->LastMessages(kEventStream, EventSubject(partition)));
      if (!last.empty()) {
        FANZHA_RETURN_IF_ERROR(
            ReadAgain(&p, *floor, last.back().sequence, server_now - options_.screen.window));
      }
    } else if (floor.status().code() != ErrorCode::kNotFound) {
      return floor.status();
    }
    FANZHA_ASSIGN_OR_RETURN(p.consumer, nats_->PullConsumer(kEventStream, EventSubject(partition),
                                                            Durable(partition), options_.lease));
    ++stats_.taken;
    idle_since_ = clock_->Now();
    Said("+" + partition);
    held_.emplace(partition, std::move(p));
    return Status::Ok();
  }

  // Reads the province's events again up to sequence `last` (those stored before `since` are out of
  // every window): up to `floor` they only rebuild windows, after it they are screened as new.
  Status ReadAgain(Held* p, uint64_t floor, uint64_t last, Millis since) {
    const std::string subject = EventSubject(p->partition);
    warnings_.clear();
    for (uint64_t seq = 0; seq < last;) {
      FANZHA_ASSIGN_OR_RETURN(auto m, nats_->NextMessage(kEventStream, subject, seq));
      if (!m) break;  // gone meanwhile (the stream's age limit)
      seq = m->sequence;
      if (m->stored_at < since && seq <= floor) continue;
      (void)ScreenOne(*p, seq, m->data, m->stored_at, seq <= floor, subject);
      if (warnings_.size() >= 512) FANZHA_RETURN_IF_ERROR(SaveAndTell());
    }
    return SaveAndTell();
  }

  // Screens what the province's consumer has now and acknowledges it. True when there was
  // something.
  Result<bool> Work(Held& p) {
    auto got = p.consumer->Fetch(options_.batch, 1);
    if (!got.ok()) {
      Report(got.status().ToString());
      clock_->SleepFor(100);  // NATS away (a server of the cluster lost): it reconnects
      return false;
    }
    if (got->empty()) return false;
    warnings_.clear();
    for (const auto& d : *got) {
      if (!ScreenOne(p, d->stream_sequence(), d->data(), d->stored_at(), false, d->subject()))
        (void)d->Term();
    }
    FANZHA_RETURN_IF_ERROR(SaveAndTell());
    for (const auto& d : *got) (void)d->Ack();  // a lost ack: the event comes again, harmlessly
    return true;
  }

  // Screens one message unless it was screened already (read again at the takeover), adding its
  // warnings to warnings_ (`quiet`: it only rebuilds windows). False when it is malformed.
  bool ScreenOne(Held& p, uint64_t seq, std::string_view data, Millis stored_at, bool quiet,
                 const std::string& subject) {
    if (seq <= p.screened_through) return true;
    p.screened_through = seq;
    Status parsed = ParseOne(&parser_, data, 1, &batch_);
    if (parsed.ok() && batch_.events.empty())
      parsed = Status::Invalid("no event in the message").WithZh("消息中没有事件");
    if (!parsed.ok()) {
      ++stats_.rejects;
      Report(subject + " #" + std::to_string(seq) + ": " + parsed.ToString());
      return false;
    }
    if (!quiet) Timed(stored_at);
    for (const Event& e : batch_.events) {
      ++(quiet ? stats_.replayed : stats_.events);
      const Warning* w = p.screener->Screen(e);
      if (w && !quiet) warnings_.push_back(*w);
    }
    return true;
  }

  // Stores the batch's warning lines in one transaction; tells those the store did not have.
  Status SaveAndTell() {
    if (warnings_.empty()) return Status::Ok();
    std::vector<std::pair<const Warning*, std::string>> told;
    Millis now = clock_->Now();
    FANZHA_ASSIGN_OR_RETURN(auto tx, store::SqlTransaction::Begin(&store_->sql()));
    for (const Warning& w : warnings_) {
      std::string line = WarningJson(w, list_);
      bool written = false;
      FANZHA_RETURN_IF_ERROR(SaveWarning(store_->sql(), w, line, now, &written));
      if (written)
        told.emplace_back(&w, std::move(line));
      else
        ++stats_.repeats;
    }
    FANZHA_RETURN_IF_ERROR(tx.Commit());
    for (const auto& [w, line] : told) {
      ++stats_.lines;
      if (callbacks_.on_warning) callbacks_.on_warning(*w, line);
    }
    warnings_.clear();
    return Status::Ok();
  }

  // Counts an event screened as new: how long since the stream stored it.
  void Timed(Millis stored_at) {
    Millis now = clock_->Now();
    if (stats_.first_at == 0) stats_.first_at = now;
    stats_.last_at = now;
    size_t ms = static_cast<size_t>(std::clamp<Millis>(now - stored_at, 0, kLatencyBuckets - 1));
    ++latency_[ms];
  }

  void Summarise() {
    int64_t total = 0;
    for (int64_t n : latency_) total += n;
    const int64_t p50 = (total + 1) / 2, p99 = (total * 99 + 99) / 100;
    int64_t seen = 0;
    for (size_t ms = 0; ms < latency_.size(); ++ms) {
      if (latency_[ms] == 0) continue;
      const int64_t before = seen;
      seen += latency_[ms];
      if (before < p50 && seen >= p50) stats_.latency_p50 = static_cast<Millis>(ms);
      if (before < p99 && seen >= p99) stats_.latency_p99 = static_cast<Millis>(ms);
      stats_.latency_max = static_cast<Millis>(ms);
    }
  }

  static constexpr Millis kLatencyBuckets = 60000;  // 1 ms each; a minute or more counts as one
  interchange::Connection* nats_;
  store::Store* store_;
  const AccountRegions* regions_;
  const Clock* clock_;
  MemberOptions options_;
  MemberCallbacks callbacks_;
  Watchlist list_;
  std::unique_ptr<SmsMatcher> sms_;
  std::map<std::string, Held> held_;
  EventParser parser_;
  EventBatch batch_;
  std::vector<Warning> warnings_;
  int64_t beats_ = 0;
  MemberStats stats_;
  Millis idle_since_ = 0;
  std::vector<int64_t> latency_ = std::vector<int64_t>(kLatencyBuckets);
};

}  // namespace

Result<MemberStats> RunMember(interchange::Connection* nats, store::Store* store,
                              const AccountRegions* account_regions, const Clock* clock,
                              const MemberOptions& options, const MemberCallbacks& callbacks) {
  FANZHA_RETURN_IF_ERROR(EnsureGroupStreams(nats, options.replicas, PublishOptions{}.keep));
  Member member(nats, store, account_regions, clock, options, callbacks);
  return member.Run();
}

}  // namespace fanzha::warn
