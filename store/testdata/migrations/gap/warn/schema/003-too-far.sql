-- warn: a version too far
CREATE TABLE w (x INTEGER);
