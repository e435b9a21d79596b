"""Programme sessions run by programme staff: groups, roll-calls, weekly series."""
