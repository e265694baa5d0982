"""The bot in a terminal: the same flows, texts and storage, without Telegram."""
