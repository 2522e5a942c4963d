"""Examples kept in the repository; not part of the installed package."""
