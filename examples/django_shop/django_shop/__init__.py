"""A small Django shop that tells Connectif what its visitors do, through tagkit."""
