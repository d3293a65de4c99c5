"""The member's sổ tay: what one member has to do or has done in every area (study, essays,
classes, meetings, evaluation), in one page. It reads every area, so it sits above them all."""
