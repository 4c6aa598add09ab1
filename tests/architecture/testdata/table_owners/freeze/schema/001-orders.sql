-- freeze: orders and the requests to take sites down
-- owned by takedown: takedowns
CREATE TABLE freeze_orders (id INTEGER, status TEXT);
CREATE TABLE takedowns (id INTEGER);
