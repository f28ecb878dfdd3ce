/*
Package money holds the module's one allocation of money: splitting an
amount over weights so that the parts always add up to the whole.

All amounts are CNY with two decimal places. Inside the module an amount is
counted in fen (0.01 yuan) as an int64; [ToFen] and [FromFen] convert to
and from [decimal.Decimal] without rounding, and refuse amounts that are not
a whole number of fen. Nothing here uses float64.

# Largest remainder allocation

Coupon discounts, points and refunds are spread over order lines in
proportion to the lines' amounts. [AllocateFen] gives each line its exact
share rounded down, then hands the fen left over to the lines with the
largest remainders, lower index first on ties. The parts therefore sum to
the total, each is within one fen of its exact share, and the result
depends only on the inputs, never on map order or floating point.

Allocation happens once, at payment, and the parts are stored on the order;
a refund reads the stored parts and never re-prorates.

[AllocateFenCapped] states the common precondition that a discount does not
exceed the amount it is spread over, in which case no line's part exceeds
the line. [Allocate] is the decimal form, returning errors rather than
panicking on bad input.
*/
package money
