-- store: the first tables
CREATE TABLE a (x INTEGER);
