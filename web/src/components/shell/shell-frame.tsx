import { Box, Container, Flex } from '@chakra-ui/react';
import type { ReactNode } from 'react';

interface ShellFrameProps {
  header: ReactNode;
  children: ReactNode;
  /** Dashboard pages use the width; the sign-in form stays narrow. */
  wide?: boolean;
}

export function ShellFrame({ header, children, wide = false }: ShellFrameProps) {
  return (
    <Flex direction="column" minH="100dvh" bg="bg.subtle">
      <Box as="header" borderBottomWidth="1px" bg="bg">
        {header}
      </Box>
      <Container as="main" maxW={wide ? '7xl' : 'lg'} py={{ base: '6', md: wide ? '8' : '12' }} px={{ base: '4', md: '6' }} flex="1" minW="0">
        {children}
      </Container>
    </Flex>
  );
}
