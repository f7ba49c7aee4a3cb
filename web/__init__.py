"""Planner web pages (folium) and the static assets the app serves itself."""
