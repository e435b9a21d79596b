"""The in-app inbox of each user: messages, read and acknowledged (police feedback, with its
escalation), and each user's channel preferences. The messages themselves are written by notify."""
