import { Link, type LinkProps } from '@chakra-ui/react';
import NextLink from 'next/link';

/** A link inside the app (no reload): colored and underlined, so it never reads as plain text. */
export function AppLink({ href, children, ...props }: LinkProps & { href: string }) {
  return (
    <Link asChild variant="underline" color="blue.fg" textUnderlineOffset="3px" {...props}>
      <NextLink href={href}>{children}</NextLink>
    </Link>
  );
}
