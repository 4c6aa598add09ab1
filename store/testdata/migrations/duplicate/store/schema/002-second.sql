-- store: the second tables
CREATE TABLE b (x INTEGER);
