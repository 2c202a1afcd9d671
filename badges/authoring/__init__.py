"""Districts adapt frameworks: drafts of their own versions, edited in the browser or imported from
CASE, published as new versions with their badge catalogue, and adopted for the district's staff."""
