-- freeze: a table written at the same time
CREATE TABLE c (x INTEGER);
