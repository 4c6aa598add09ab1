-- takedown: nothing new
ALTER TABLE takedowns ADD COLUMN status TEXT;
