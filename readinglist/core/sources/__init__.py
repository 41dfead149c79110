"""What a file says, read without touching the library: digests (text, e-mail,
mailboxes, web pages), and what a paper's links mean. Imports nothing of the core."""
