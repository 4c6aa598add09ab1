// Early warning (预警劝阻): find the people in contact with known frauds while they are still on
// the phone, and tell the hotline of their region whom to call first.
//
// Start here:
//   Watchlist (watchlist.h)   listed values from confirmed cases and manual entries, versioned
//   EventParser (event.h)     events.jsonl lines -> Event, zero-copy, simdjson
//   SmsMatcher (sms.h)        SMS text against fraud-script phrases and patterns (Hyperscan)
//   Screener (screener.h)     events -> warnings: scoring, windows, escalation
//   StreamScreen (stream.h)   a file or stdin (optionally followed) -> warning lines, 2 threads
//   WarningQueue (queue.h)    the latest revision of each warning, per region, most urgent first
// docs/WARN.md explains the model and the measured figures.
#pragma once

#include "core/clock.h"
#include "warn/event.h"
#include "warn/keys.h"
#include "warn/queue.h"
#include "warn/screener.h"
#include "warn/sms.h"
#include "warn/stream.h"
#include "warn/watchlist.h"
