#include "ledger/ledger.h"
#include "store/store.h"

namespace fanzha::ledger {

Result<std::unique_ptr<Ledger>> Ledger::Load(store::Store& store) {
  Builder builder;
  FANZHA_RETURN_IF_ERROR(store.ForEachAccount([&](const Account& a) { builder.AddAccount(a); }));
  FANZHA_RETURN_IF_ERROR(store.ForEachTransfer([&](const Transfer& t) { builder.AddTransfer(t); }));
  return builder.Build();
}

}  // namespace fanzha::ledger
