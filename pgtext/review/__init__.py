"""Stage: people in the loop: review sheets, merging decisions, what to label next, label checks, evaluation."""
