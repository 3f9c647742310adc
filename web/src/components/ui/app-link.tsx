import { Link, type LinkProps } from '@chakra-ui/react';
import NextLink from 'next/link';

/** A Chakra-styled link that navigates inside the app without reloading. */
export function AppLink({ href, children, ...props }: LinkProps & { href: string }) {
  return (
    <Link asChild {...props}>
      <NextLink href={href}>{children}</NextLink>
    </Link>
  );
}
