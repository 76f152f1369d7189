"""What the ISP's other systems tell the app through the workers (api/inbound.py): outages from
Uptime Kuma, payments from Stripe, calls from 3CX and Twilio Voice. Every event leaves one
Inbound Event row; those that fit nothing are Needs Review, the list staff work from."""
