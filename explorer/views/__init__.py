"""Pure figure builders: results -> tidy DataFrame -> altair Chart (returned, never shown), and export."""
