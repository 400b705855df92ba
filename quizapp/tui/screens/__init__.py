"""The app's screens: home, review, summary and help."""
