"""Read the news: articles and statements become events and claims, offline."""
