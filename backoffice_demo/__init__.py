"""The end-to-end demo (`make demo` / `bots demo`): sample inputs, the bundled demo ERP,
the invoice and reconciliation workflows through the real engine and ledger, and the ROI.

It lives outside the core because it ties the robots together; the core knows none of them.
"""
