import { Heading } from '@chakra-ui/react';
import NextLink from 'next/link';

export function Brand({ href = '/' }: { href?: string }) {
  return (
    <Heading as="p" size="md" letterSpacing="tight" flexShrink={0}>
      <NextLink href={href}>Vigil</NextLink>
    </Heading>
  );
}
