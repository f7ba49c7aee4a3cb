"""Floods as they happen: the PetaBencana-format flood feed, read, matched, stored, followed."""
