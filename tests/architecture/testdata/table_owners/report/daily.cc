// The report compares the books' status strings in SQL it does not own (FROM freeze_orders in a
// comment is not SQL, nor is 'FROM takedowns' in a character-free comment).
#include <string>

const char* kNotSql = "money moved FROM accounts it names";  // no such table
const char* kFrozen =
    "SELECT COUNT(*) FROM "
    "freeze_orders WHERE status = 'executed'";
const std::string kTakenDown = R"sql(
  SELECT COUNT(*) FROM takedowns t JOIN freeze_orders o ON o.id = t.id)sql";
