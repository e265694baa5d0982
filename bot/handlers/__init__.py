"""What the bot does for each command, button and typed answer, grouped by concern."""
