"""Small reusable widgets: labelled fields with their error line, the contribution panel."""
