-- Event-aware polling looks for calendar entries dated around now: index them by date.
create index documents_events on documents (published_at) where kind = 'event' and duplicate_of is null;
