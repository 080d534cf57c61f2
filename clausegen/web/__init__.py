"""`clausegen serve`: a web page that builds drafts on the same engine as the command line."""
