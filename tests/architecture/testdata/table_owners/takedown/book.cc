// A table another module's migration created, claimed in its header: takedown/ owns it.
const char* kOpen = "SELECT COUNT(*) FROM takedowns WHERE status = 'open'";
