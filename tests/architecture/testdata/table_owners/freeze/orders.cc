// The owner queries its own table.
const char* kExecuted = "SELECT COUNT(*) FROM freeze_orders WHERE status = 'executed'";
