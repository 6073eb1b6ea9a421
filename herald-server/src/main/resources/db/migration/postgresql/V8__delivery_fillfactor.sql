-- Leave a fifth of each delivery page free, so that taking, extending and giving back a lease
-- (which change only lease_owner and lease_expires_at, in no index) can be HOT updates: the new row
-- version stays on its page and no index gets a new entry. Otherwise every claim adds an entry per
-- claimed row to each of the table's indexes, and a dead one at the front of delivery_due, which the
-- next claim walks past. Applies to pages written from now on.
ALTER TABLE delivery SET (fillfactor = 80);
