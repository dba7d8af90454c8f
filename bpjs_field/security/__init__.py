"""Protecting the people in the laptop database (UU PDP 27/2022): the encrypted
database's key file, officer login and roles.  Qt-free; the GUI is in ui/security."""
