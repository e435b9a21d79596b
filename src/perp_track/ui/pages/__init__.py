"""The web pages' controllers, one module per area, over the domains' services and read views."""
